/**
 * The lean wait (`Connection._readable()`) polls before it parks, as every
 * other read path does: a message that arrives during the spin is taken
 * without a sleeping wake-up. The machine's load is mocked so that the spin
 * gate is open, and the message is written from inside the spin (through a
 * wrapped `Atomics.load`), so nothing here depends on timing.
 */
import { jest } from '@jest/globals';
import * as os from 'node:os';

const idle = { availableParallelism: () => 4, loadavg: () => [0, 0, 0] };
jest.unstable_mockModule('node:os', () => ({ ...os, ...idle, default: { ...os, ...idle } }));

const { Pipe } = await import('../../src/pipe.js');

describe('Connection lean read: the spin before the park', () => {
  it('takes a message written during the spin without parking', () => {
    const [a, b] = Pipe<never>();
    const load = Atomics.load;
    let loads = 0;
    let written = false;
    // The 50th load of the word during `_readable()` is well inside the spin
    // (the checks before it make a handful); the peer writes then.
    Atomics.load = ((array: Int32Array, index: number): number => {
      if (++loads === 50 && !written) {
        written = true;
        Atomics.load = load;
        a.sendBytes(new TextEncoder().encode('during the spin'));
      }
      return load(array, index);
    }) as typeof Atomics.load;
    let wait: Promise<unknown> | undefined;
    try {
      wait = b._readable();
    } finally {
      Atomics.load = load;
    }
    expect(written).toBe(true);
    expect(wait).toBeUndefined();
    expect(new TextDecoder().decode(b._recvBytesNow())).toBe('during the spin');
    a.close();
    b.close();
  });
});
