// The raw BullMQ peer on a real redis-server, with its Workers in processes
// of their own (uses the build).
import { alive, describeWithRedis, within } from '@multiprocessing/test-utils';
import { startBullmqPeer, type BullmqPeer } from '../../dist/harness/bullmq-peer.js';

describeWithRedis('startBullmqPeer', (redis) => {
  let peer: BullmqPeer | undefined;
  afterEach(async () => {
    await peer?.close();
    peer = undefined;
  });

  it('squares through jobs, chunks and single adds on 2 worker processes, then ends them', async () => {
    const p = await within(
      startBullmqPeer({ url: redis().url, name: 'peer-test', workers: 2, concurrency: 10 }),
      30_000,
      'the peer to start',
    );
    peer = p;
    expect(p.pids).toHaveLength(2);
    expect(p.pids.every(alive)).toBe(true);
    const items = Array.from({ length: 500 }, (_, i) => i);
    const squares = items.map((x) => x * x);
    expect(await within(p.jobs(items), 30_000, '500 jobs')).toEqual(squares);
    expect(await within(p.chunks(items, 64), 30_000, 'the chunks')).toEqual(squares);
    expect(await within(p.one(12), 30_000, 'one job')).toBe(144);
    await within(p.close(), 30_000, 'the peer to close');
    expect(p.pids.some(alive)).toBe(false);
  }, 90_000);

  it('refuses a worker count or concurrency that is not a positive integer', async () => {
    await expect(
      startBullmqPeer({ url: redis().url, name: 'x', workers: 0, concurrency: 1 }),
    ).rejects.toThrow(new RangeError('workers must be a positive integer, got 0'));
    await expect(
      startBullmqPeer({ url: redis().url, name: 'x', workers: 1, concurrency: 1.5 }),
    ).rejects.toThrow(new RangeError('concurrency must be a positive integer, got 1.5'));
  });
});
