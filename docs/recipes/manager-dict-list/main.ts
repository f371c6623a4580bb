import { Manager } from '@multiprocessing/manager';
import { Pool, moduleRef } from '@multiprocessing/pool';
import type * as Tasks from './tasks.js';

const tasks = moduleRef<typeof Tasks>(new URL('./tasks.js', import.meta.url));
const words = ['queue', 'pipe', 'lock', 'barrier', 'manager', 'pool', 'value', 'event'];

const manager = await Manager(); // starts the manager's server
const lengths = await manager.dict<string, number>();
const seen = await manager.list<string>();
try {
  {
    await using pool = new Pool({ processes: 3 });
    await pool.starmap(
      tasks.record,
      words.map((w) => [w, lengths, seen] as [string, typeof lengths, typeof seen]),
    );
  }
  // The order of the appends depends on which worker ran first: sort before printing.
  console.log('list:', (await seen.toArray()).sort());
  const entries = (await lengths.items()).sort(([a], [b]) => a.localeCompare(b));
  console.log('dict:', Object.fromEntries(entries));
  console.log(`dict size: ${await lengths.length()}, list length: ${await seen.length()}`);
} finally {
  await manager.shutdown(); // stops the server; `await using manager = …` does the same
}
try {
  await seen.length();
} catch (err) {
  console.log(`a proxy call after shutdown rejects with ${(err as Error).name}`); // its message names the address
}
