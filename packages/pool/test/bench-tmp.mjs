import { Pool } from '@multiprocessing/pool';
const pool = new Pool({ processes: 2 });
await pool.apply((x) => x, [1]);
for (let rep = 0; rep < 4; rep++) {
  const t0 = performance.now();
  const ps = [];
  for (let i = 0; i < 50000; i++) ps.push(pool.apply((x) => x * x, [i]));
  const t1 = performance.now();
  await Promise.all(ps);
  const t2 = performance.now();
  console.log('submit', (t1 - t0).toFixed(1), 'total', (t2 - t0).toFixed(1), 'ms', (50000 / (t2 - t0)).toFixed(0), 'k/s');
}
await pool.terminate();
