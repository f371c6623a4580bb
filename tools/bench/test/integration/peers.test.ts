// Starts real pools of every peer on the square fixture (uses the build).
import { createPeerPool, poolPeers, type PeerName, type PeerPool } from '../../dist/harness/peers.js';

const fixture = new URL('../../fixtures/substrate-square.mjs', import.meta.url);
const peers: PeerName[] = [...poolPeers, 'raw'];

describe('createPeerPool', () => {
  let pool: PeerPool | undefined;
  afterEach(async () => {
    await pool?.destroy();
    pool = undefined;
  });

  it.each(peers)('%s runs the named export of the fixture on 2 threads', async (peer) => {
    const p = await createPeerPool(peer, { fixture, name: 'square', threads: 2 });
    pool = p;
    expect(p.peer).toBe(peer);
    expect(p.threads).toBe(2);
    const inputs = Array.from({ length: 200 }, (_, i) => i);
    expect(await Promise.all(inputs.map((x) => p.run(x)))).toEqual(inputs.map((x) => x * x));
  });

  it('runs the default export when no name is given, from a path', async () => {
    pool = await createPeerPool('raw', { fixture: fixture.pathname, threads: 1 });
    expect(await pool.run(12)).toBe(144);
  });

  it('rejects a relative fixture path', async () => {
    await expect(createPeerPool('raw', { fixture: 'fixtures/x.mjs' })).rejects.toThrow(TypeError);
  });
});
