import { Pool, moduleRef } from '@multiprocessing/pool';
import { getContext } from '@multiprocessing/process';
const tasks = moduleRef(new URL('./fixtures/tasks.mjs', import.meta.url));
const range = (n) => Array.from({ length: n }, (_, i) => i);
const pool = new Pool({ processes: 2, context: getContext(process.argv[2] ?? 'thread') });
for await (const y of pool.imap(tasks.square, range(200))) {}
for await (const y of pool.imap(tasks.asyncSquare, range(101), { chunksize: 10 })) {}
for await (const y of pool.imapUnordered(tasks.square, range(300), { chunksize: 4 })) {}
const failing = pool.imap((x) => { if (x === 2) throw new RangeError('two'); return x; }, range(5));
for (let i = 0; i < 6; i++) { try { await failing.next(); } catch {} }
const it0 = pool.imap(tasks.forever, [1]);
try { await it0.next(0.05); } catch (e) { }
await it0.return();
let read = 0;
function* input() { for (let i = 0; i < 1_000_000; i++) { read++; yield i; } }
const t = setTimeout(() => { console.log('STUCK read', read, JSON.stringify(pool.stats())); process.exit(1); }, 3000);
for await (const y of pool.imap(tasks.square, input())) { if (y === 100) break; }
clearTimeout(t);
await pool.terminate();
