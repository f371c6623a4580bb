/**
 * Serves a job queue and a results table on HOST:PORT to clients that know the key.
 * Machine A: AUTHKEY=… npx tsx server.ts 0.0.0.0 50000
 */
import { BaseManager, taskRef } from '@multiprocessing/manager';

const [host = '127.0.0.1', port = '50000'] = process.argv.slice(2);
const authkey = process.env.AUTHKEY;
if (authkey === undefined || authkey === '') throw new Error('set AUTHKEY to the shared key');

const shared = new URL('./shared.js', import.meta.url);
class JobManager extends BaseManager {}
JobManager.register('getJobs', taskRef(shared, 'getJobs'), { exposed: ['put', 'get', 'qsize'] });
JobManager.register('getResults', taskRef(shared, 'getResults'));

const server = new JobManager({ address: { host, port: Number(port) }, authkey }).getServer();
const address = (await server.listen()) as { host: string; port: number }; // the real port for port 0
console.log(`listening on ${address.host}:${address.port}`);

// Ctrl-C or `kill` stops serving: serveForever() resolves once the connections are closed.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.shutdown();
  });
}
await server.serveForever();
console.log('server stopped');
