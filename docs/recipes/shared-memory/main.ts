import { SharedMemoryManager } from '@multiprocessing/manager';
import { Pool, moduleRef } from '@multiprocessing/pool';
import { SharedMemory } from '@multiprocessing/value-lock';
import type * as Tasks from './tasks.js';

const tasks = moduleRef<typeof Tasks>(new URL('./tasks.js', import.meta.url));
const N = 1_000_000; // 8 MB of float64

await using pool = new Pool({ processes: 2 });

// 1. A segment made after the workers started: they find it by its name.
const shm = new SharedMemory({ create: true, size: N * 8 });
const data = new Float64Array(shm.buf.buffer, shm.buf.byteOffset, N);
for (let i = 0; i < N; i++) data[i] = i % 10;
const halves = await pool.starmap(tasks.sumRange, [
  [shm.name, 0, N / 2],
  [shm.name, N / 2, N],
]);
console.log(`sums of the halves: ${halves.join(' + ')} = ${String(halves.reduce((a, b) => a + b, 0))}`);
shm.close();
shm.unlink(); // the name goes now; the bytes when the last handle closes

// 2. A manager unlinks what it made when its scope ends.
let name = '';
{
  await using smm = new SharedMemoryManager();
  await smm.start();
  const status = smm.ShareableList(['pending', 'pending', 'pending']);
  name = status.shm.name;
  console.log(
    await pool.starmap(tasks.finish, [
      [status, 0],
      [status, 2],
    ]),
  );
  console.log(String(status), status.format);
}
try {
  new SharedMemory(name);
} catch (err) {
  console.log((err as Error).name, 'after the manager ended');
}
