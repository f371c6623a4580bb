/**
 * The shared Connection suite against both classes: a Pipe's ends (shared
 * memory, `@multiprocessing/queue`) and a socket's (a `Listener` on a fresh
 * Unix socket and a `Client`, authenticated with a key).
 */
import { Client, Listener } from '@multiprocessing/manager';
import { Pipe } from '@multiprocessing/queue';
import { within } from '@multiprocessing/test-utils';
import { connectionSuite } from './connection-suite.js';

connectionSuite(
  'Pipe',
  () => {
    const [a, b] = Pipe(true);
    return Promise.resolve({
      a,
      b,
      dispose(): void {
        a.close();
        b.close();
      },
    });
  },
  { syncTwins: true },
);

connectionSuite(
  'Listener and Client over a Unix socket',
  async () => {
    const authkey = 'suite key';
    const listener = new Listener(undefined, { authkey });
    try {
      const address = await within(listener.ready(), 10_000, 'listener ready');
      expect(typeof address).toBe('string');
      const [a, b] = await within(
        Promise.all([Client(address, { authkey }), listener.accept()]),
        10_000,
        'connect and authenticate',
      );
      return {
        a,
        b,
        dispose(): void {
          a.close();
          b.close();
          listener.close();
        },
      };
    } catch (err) {
      listener.close();
      throw err;
    }
  },
  { syncTwins: false },
);
