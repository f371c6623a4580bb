/**
 * `shared_memory`, as Python's documentation shows it: two handles on one
 * `SharedMemory`, a `ShareableList` whose items change type within their
 * slots, and a `SharedMemoryManager` whose list two processes fill, each its
 * half, before the parent sums it. The manager unlinks the list's memory at
 * the end of its scope.
 */
import { Process, moduleRef } from '@multiprocessing/process';
import { SharedMemoryManager } from '@multiprocessing/manager';
import { ShareableList, SharedMemory } from '@multiprocessing/value-lock';
import { print } from '../repr.js';
import type * as valueLockTasks from '../tasks/value-lock.js';

const tasks = moduleRef<typeof valueLockTasks>(new URL('../tasks/value-lock.js', import.meta.url));

function bytesRepr(bytes: Uint8Array): string {
  return `b'${new TextDecoder().decode(bytes)}'`;
}

export async function main(): Promise<void> {
  const shmA = new SharedMemory({ create: true, size: 10 });
  const buffer = shmA.buf;
  buffer.set([22, 33, 44, 55]);
  buffer[4] = 100;
  const shmB = new SharedMemory(shmA.name); // attach by name
  print(`array('b', [${new Int8Array(shmB.buf.buffer, shmB.buf.byteOffset, 5).join(', ')}])`);
  shmB.buf.set(new TextEncoder().encode('howdy'));
  print(bytesRepr(shmA.buf.subarray(0, 5)));
  shmB.close();
  shmA.close();
  shmA.unlink();

  const a = new ShareableList(['howdy', new TextEncoder().encode('HoWdY'), -273.154, 100, null, true, 42]);
  print(a[2]);
  a[2] = -78.5;
  print(a[2]);
  a[2] = 'dry ice'; // a new type, as long as it fits the slot
  print(a[2]);
  try {
    a[2] = 'larger than previously allocated storage space';
  } catch (err) {
    print(`${(err as Error).name}: ${(err as Error).message}`);
  }
  print(a[2], a.length, a.index(42), a.count(new TextEncoder().encode('howdy')));
  a.shm.close();
  a.shm.unlink();

  {
    await using smm = new SharedMemoryManager();
    await smm.start();
    const sl = smm.ShareableList(Array.from({ length: 2000 }, (_, i) => i));
    // Divide the work among two processes, storing partial results in sl.
    const p1 = new Process({ target: tasks.squareRange, args: [sl, 0, 1000] });
    const p2 = new Process({ target: tasks.squareRange, args: [sl, 1000, 2000] });
    p1.start();
    p2.start();
    await p1.join();
    await p2.join();
    let total = 0;
    for (const x of sl) total += x as number;
    print('total of squares:', total);
  }
}
