// A pool of a cluster, from the installed tarballs: one host runs in this
// process (serveCluster), the pool's tasks reach it through the Redis at argv[2].
import { connectCluster, serveCluster } from '@multiprocessing/cluster';
import { Pool, moduleRef } from '@multiprocessing/pool';

const url = process.argv[2];
const root = new URL('.', import.meta.url);
const tasks = moduleRef(new URL('./tasks.mjs', import.meta.url));
const host = await serveCluster({ connection: url, name: 'consumers', processes: 1, root });
const cluster = await connectCluster(url, { name: 'consumers', root });
const pool = new Pool({ context: cluster, processes: 1 });
console.log('cluster', JSON.stringify(await pool.map(tasks.square, [1, 2, 3])));
pool.close();
await pool.join();
await cluster.close();
await host.close();
