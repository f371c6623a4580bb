/** The shared Connection suite, part one: values, order, poll and refused values. */
import { PicklingError } from '@multiprocessing/core';
import { within } from '@multiprocessing/test-utils';
import {
  BOUND_MS,
  expectError,
  poll,
  recv,
  recvBytes,
  refusalOf,
  rejection,
  settlesAtOnce,
  thrown,
  type SuiteContext,
} from './connection-suite-kit.js';

export function valueTests({ ends }: SuiteContext): void {
  it('is duplex and open, and prints as a pipe end', async () => {
    const [a, b] = await ends();
    for (const end of [a, b]) {
      expect([end.readable, end.writable, end.closed]).toEqual([true, true, false]);
      expect(String(end)).toBe('<Connection readable=true writable=true closed=false>');
    }
    a[Symbol.dispose]();
    expect(a.closed).toBe(true);
    expect(String(a)).toBe('<Connection readable=true writable=true closed=true>');
  });

  it('carries rich values both ways unchanged', async () => {
    const [a, b] = await ends();
    const rich = {
      map: new Map<unknown, unknown>([
        [1, 'one'],
        ['inner', new Map([[2n, [3, 'x']]])],
      ]),
      set: new Set<unknown>([1, 'two', 3n]),
      date: new Date(Date.UTC(2024, 1, 29, 23, 59, 58, 7)),
      big: 2n ** 70n,
      negBig: -(2n ** 64n),
      negZero: -0,
      nested: [
        [1, [2, [3, [4, []]]]],
        [null, true, 'five'],
      ],
      bytes: new Uint8Array([0, 1, 254, 255]),
    };
    for (const [from, to] of [
      [a, b],
      [b, a],
    ] as const) {
      from.send(rich);
      from.send(-0);
      from.send(-(2n ** 100n));
      const got = (await recv(to)) as typeof rich;
      expect(got).toEqual(rich);
      expect(Object.is(got.negZero, -0)).toBe(true);
      expect(got.date).toBeInstanceOf(Date);
      expect(Object.getPrototypeOf(got.bytes)).toBe(Uint8Array.prototype);
      expect(Object.is(await recv(to), -0)).toBe(true);
      expect(await recv(to)).toBe(-(2n ** 100n));
    }
  });

  it('keeps the order of objects and byte messages, large ones included', async () => {
    const [a, b] = await ends();
    // 1 MiB: more than a Pipe's ring, and many socket chunks.
    const large = new Uint8Array(1 << 20).map((_, i) => i % 251);
    for (let i = 0; i < 300; i++) {
      if (i === 150) a.sendBytes(large);
      else if (i % 3 === 0) a.sendBytes(new Uint8Array([i & 0xff, i >> 8]));
      else a.send({ i, text: 'x'.repeat(i) });
    }
    for (let i = 0; i < 300; i++) {
      if (i === 150) {
        const got = await within(b.recvBytes(), BOUND_MS, 'the large message');
        expect(Buffer.from(got).equals(large)).toBe(true);
      } else if (i % 3 === 0) expect(await recvBytes(b)).toEqual([i & 0xff, i >> 8]);
      else expect(await recv(b)).toEqual({ i, text: 'x'.repeat(i) });
    }
    expect(await b.poll()).toBe(false);
  });

  it('answers poll() with no argument at once, and poll does not consume', async () => {
    const [a, b] = await ends();
    expect(await settlesAtOnce(b.poll())).toBe(true);
    expect(await b.poll()).toBe(false);
    a.send('here');
    expect(await poll(b, null)).toBe(true);
    const again = b.poll();
    expect(await settlesAtOnce(again)).toBe(true);
    expect(await again).toBe(true);
    expect(await recv(b)).toBe('here');
    expect(await b.poll()).toBe(false);
  });

  it('answers poll(0.2) false when nothing comes, true once a message is sent', async () => {
    const [a, b] = await ends();
    expect(await poll(b, 0.2)).toBe(false);
    const waiting = b.poll(30);
    a.send(1);
    expect(await within(waiting, BOUND_MS, 'poll(30) woken by a send')).toBe(true);
    expect(await poll(b, 0.2)).toBe(true);
    const forever = b.poll(Infinity);
    expect(await within(forever, BOUND_MS, 'poll(Infinity) with data')).toBe(true);
    expect(await recv(b)).toBe(1);
    const pending = b.poll(Infinity);
    a.sendBytes(new Uint8Array(0));
    expect(await within(pending, BOUND_MS, 'poll(Infinity) woken by a send')).toBe(true);
    expect(await recvBytes(b)).toEqual([]);
  });

  it('refuses bad poll timeouts through the Promise, with the same errors', async () => {
    const [, b] = await ends();
    expectError(
      await rejection(() => b.poll(Number.NaN), 'poll(NaN)'),
      RangeError,
      'timeout must be a number of seconds, got NaN',
    );
    expectError(
      await rejection(() => b.poll('1' as never), "poll('1')"),
      TypeError,
      "timeout must be a number of seconds, null or undefined, got string '1'",
    );
    expect(await poll(b, -1)).toBe(false);
  });

  it('refuses a function, a Promise and other values the codec refuses, sending nothing', async () => {
    const [a, b] = await ends();
    const refused: unknown[] = [
      { cb: function onDone(): void {} },
      [1, [Promise.resolve(2)]],
      new Map([['k', new WeakMap()]]),
      { s: Symbol('s') },
      () => 0,
    ];
    for (const value of refused) {
      expectError(
        thrown(() => {
          a.send(value);
        }),
        PicklingError,
        refusalOf(value),
      );
    }
    expect(await poll(b, 0.2)).toBe(false);
    a.send('after');
    expect(await recv(b)).toBe('after');
  });
}
