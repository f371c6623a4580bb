import { SharedMemory, type ShareableItem, type ShareableList } from '@multiprocessing/value-lock';

/** Attaches to the segment `name` and sums its float64s from `start` to `end`. */
export function sumRange(name: string, start: number, end: number): number {
  const shm = new SharedMemory(name);
  try {
    const data = new Float64Array(shm.buf.buffer, shm.buf.byteOffset, shm.size / 8);
    let sum = 0;
    for (let i = start; i < end; i++) sum += data[i] ?? 0;
    return sum;
  } finally {
    shm.close();
  }
}

/** Marks item `i` of the shared status list as done. */
export function finish(status: ShareableList, i: number): ShareableItem {
  status[i] = 'done';
  return status[i];
}
