import { Pool, ProcessPoolExecutor, moduleRef } from '@multiprocessing/pool';
import { getContext } from '@multiprocessing/process';
const tasks = moduleRef(new URL('./fixtures/tasks.mjs', import.meta.url));
const method = process.argv[2] ?? 'thread';
const t = setTimeout(() => { console.log('STUCK'); process.exit(1); }, 8000);
if (process.argv[3] === 'exec') {
  const executor = new ProcessPoolExecutor({ maxWorkers: 1, context: getContext(method) });
  const dying = executor.submit(tasks.exitWith, 3);
  const pending = [1,2,3].map(() => executor.submit(tasks.square, 2));
  for (const f of [dying, ...pending]) console.log(String(await f.exception()));
} else {
  const pool = new Pool({ processes: 2, context: getContext(method) });
  const views = [new Float64Array(1<<20).fill(1), new Float64Array(1<<20).fill(2), new Float64Array(1<<20).fill(3)];
  const out = await pool.map(tasks.describeBuffer, views, { chunksize: 1, transfer: views.map((v) => v.buffer) });
  console.log(out, views.map(v => v.buffer.byteLength));
  await pool.terminate();
}
clearTimeout(t);
