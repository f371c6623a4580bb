// Starts real pools of every peer on the square fixture (uses the build).
import { within } from '@multiprocessing/test-utils';
import { createPeerPool, poolPeers, type PeerName, type PeerPool } from '../../dist/harness/peers.js';

const fixture = new URL('../../fixtures/substrate-square.mjs', import.meta.url);
const peers: PeerName[] = [...poolPeers, 'raw'];

describe('createPeerPool', () => {
  let pool: PeerPool | undefined;
  afterEach(async () => {
    if (pool !== undefined) await within(pool.destroy(), 20_000, `destroying the ${pool.peer} pool`);
    pool = undefined;
  });

  it.each(peers)('%s runs the named export of the fixture on 2 threads', async (peer) => {
    const p = await within(
      createPeerPool(peer, { fixture, name: 'square', threads: 2 }),
      20_000,
      `starting ${peer}`,
    );
    pool = p;
    expect(p.peer).toBe(peer);
    expect(p.threads).toBe(2);
    const inputs = Array.from({ length: 200 }, (_, i) => i);
    const results = await within(Promise.all(inputs.map((x) => p.run(x))), 20_000, `200 tasks on ${peer}`);
    expect(results).toEqual(inputs.map((x) => x * x));
  });

  it('runs the default export when no name is given, from a path', async () => {
    pool = await within(
      createPeerPool('raw', { fixture: fixture.pathname, threads: 1 }),
      20_000,
      'starting raw',
    );
    expect(await within(pool.run(12), 20_000, 'one task')).toBe(144);
  });

  it('rejects a relative fixture path', async () => {
    await expect(createPeerPool('raw', { fixture: 'fixtures/x.mjs' })).rejects.toThrow(TypeError);
  });
});
