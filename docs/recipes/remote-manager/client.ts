/**
 * Connects to the server, puts jobs on its queue, does them, and records the results.
 * Machine B: AUTHKEY=… npx tsx client.ts HOST 50000
 */
import { BaseManager } from '@multiprocessing/manager';
import type { Proxied } from '@multiprocessing/manager';
import type { Queue } from '@multiprocessing/queue';
import type { Results } from './shared.js';

const [host = '127.0.0.1', port = '50000'] = process.argv.slice(2);
const authkey = process.env.AUTHKEY;
if (authkey === undefined || authkey === '') throw new Error('set AUTHKEY to the shared key');

// A client registers the names only: the objects are made in the server.
class JobManager extends BaseManager {}
JobManager.register('getJobs');
JobManager.register('getResults');

const manager = new JobManager({ address: { host, port: Number(port) }, authkey });
await manager.connect(); // AuthenticationError for a wrong key
const jobs = (await manager.create('getJobs')) as Proxied<Pick<Queue<string>, 'put' | 'get' | 'qsize'>>;
const results = (await manager.create('getResults')) as Proxied<Results>;

for (const word of ['alpha', 'beta', 'gamma']) await jobs.put(word);
console.log(`jobs waiting on the server: ${await jobs.qsize()}`);
while ((await jobs.qsize()) > 0) {
  const word = await jobs.get();
  await results.set(word, word.length);
}
console.log('results on the server:', await results.items());
