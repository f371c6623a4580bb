/**
 * The cluster example: the same map on a local pool and on a worker host
 * through Redis, whether Redis is REDIS_URL, a throwaway redis-server, or
 * missing (then it says how to get one and still exits 0).
 */
import { describeWithRedis, redisCommands } from '@multiprocessing/test-utils';
import { runExamples } from './run-example.js';

const SQUARES = '[0, 1, 4, 9, 16, 25, 36, 49, 64, 81]';

/** What cluster-map prints once it has a Redis, after the line saying which. */
const ON_CLUSTER = [
  "Host: serves 'examples' with 2 workers",
  "<Cluster name='examples' hosts=1 processes=2>",
  `Cluster pool: ${SQUARES}`,
];

describeWithRedis(
  'examples: cluster-map with redis-server',
  (redis) => {
    it('starts a throwaway redis-server when REDIS_URL is not set, and maps on the cluster', async () => {
      const run = await runExamples(['cluster-map'], 60_000, { REDIS_URL: '' });
      expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
      expect((run.sections.get('cluster-map') ?? '').trim().split('\n')).toEqual([
        `Local pool: ${SQUARES}`,
        'Redis: a throwaway redis-server (REDIS_URL is not set)',
        ...ON_CLUSTER,
      ]);
    });

    it('uses REDIS_URL (with its password), and its host leaves the cluster at the end', async () => {
      const { url, port, password } = redis();
      const run = await runExamples(['cluster-map'], 60_000, { REDIS_URL: url });
      expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
      expect((run.sections.get('cluster-map') ?? '').trim().split('\n')).toEqual([
        `Local pool: ${SQUARES}`,
        'Redis: REDIS_URL',
        ...ON_CLUSTER,
      ]);
      expect(await redisCommands(port, [['SCARD', 'mp:examples:_hosts']], { password })).toEqual([0]);
    });
  },
  { password: 'examples-secret' },
);

describe('examples: cluster-map without Redis', () => {
  it('runs the local pool, says how to get Redis, and exits 0', async () => {
    const run = await runExamples(['cluster-map'], 60_000, {
      REDIS_URL: '',
      REDIS_SERVER_PATH: '/nonexistent/redis-server',
      PATH: '/nonexistent',
    });
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    expect((run.sections.get('cluster-map') ?? '').trim().split('\n')).toEqual([
      `Local pool: ${SQUARES}`,
      'The cluster part needs Redis: set REDIS_URL=redis://<host>:<port>, or install redis-server ' +
        '(`sudo apt-get install -y redis-server`) and run it again.',
    ]);
  });
});
