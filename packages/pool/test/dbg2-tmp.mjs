import { Pool, moduleRef } from '@multiprocessing/pool';
import { getContext } from '@multiprocessing/process';
const tasks = moduleRef(new URL('./fixtures/tasks.mjs', import.meta.url));
const method = process.argv[2] ?? 'thread';
const kItems = 1 << 20;
function filled(seed) { const a = new Float64Array(kItems); for (let i = 0; i < kItems; i++) a[i] = (i % 97) + seed; return a; }
const t = setTimeout(() => { console.log('STUCK', JSON.stringify(pool.stats())); process.exit(1); }, 15000);
const pool = new Pool({ processes: 2, context: getContext(method) });
const arrays = [filled(1), filled(2), filled(3), filled(4)];
console.log(await pool.apply(tasks.sumAll, arrays));
console.log(await pool.map(tasks.sumAll, arrays, { chunksize: 1 }));
console.log((await pool.apply(tasks.makeFloat64, [kItems])).length);
const view = filled(0);
console.log(await pool.apply(tasks.describeBuffer, [view], { transfer: [view.buffer] }));
const views = [filled(1), filled(2), filled(3)];
console.log(await pool.map(tasks.describeBuffer, views, { chunksize: 1, transfer: views.map((v) => v.buffer) }));
clearTimeout(t);
await pool.terminate();
