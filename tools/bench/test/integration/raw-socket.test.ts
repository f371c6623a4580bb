// Starts the raw socket floor over a Unix socket and TCP (uses the build).
import { within } from '@multiprocessing/test-utils';
import { rawPingPong } from '../../dist/harness/raw-socket.js';

describe('rawPingPong', () => {
  it.each(['unix', 'tcp'] as const)('%s: answers every round trip, then ends its child', async (kind) => {
    const raw = await within(rawPingPong(kind), 20_000, `starting the ${kind} echo server`);
    try {
      for (let i = 0; i < 200; i++) await within(raw.roundTrip(), 10_000, `round trip ${String(i)}`);
    } finally {
      await within(raw.close(), 20_000, 'closing');
    }
  });
});
