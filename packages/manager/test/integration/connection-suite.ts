/**
 * One test suite for both Connection classes of the project, which mirror
 * `multiprocessing.connection.Connection`: a Pipe's (`@multiprocessing/queue`,
 * shared memory between threads) and a socket's (`Listener` and `Client`).
 * What both must do alike is written once; where they differ by design, a
 * capability names the difference and the reason.
 */
import { within } from '@multiprocessing/test-utils';
import { byteTests } from './connection-suite-bytes.js';
import { endTests } from './connection-suite-ends.js';
import {
  BOUND_MS,
  type Capabilities,
  type ConnectionPair,
  type SuiteConnection,
} from './connection-suite-kit.js';
import { valueTests } from './connection-suite-values.js';

export type { Capabilities, ConnectionPair, SuiteConnection } from './connection-suite-kit.js';

/**
 * Registers the suite for one class. `makePair` connects two ends; the
 * suite disposes of them after each test.
 */
export function connectionSuite(
  name: string,
  makePair: () => Promise<ConnectionPair>,
  capabilities: Capabilities,
): void {
  describe(`parity: multiprocessing.connection.Connection (${name})`, () => {
    let pair: ConnectionPair | undefined;
    afterEach(async () => {
      const done = pair;
      pair = undefined;
      await done?.dispose();
    });
    async function ends(): Promise<[SuiteConnection, SuiteConnection]> {
      pair = await within(makePair(), BOUND_MS, `${name}: connect a pair`);
      return [pair.a, pair.b];
    }
    const context = { ends, capabilities };
    valueTests(context);
    byteTests(context);
    endTests(context);
  });
}
