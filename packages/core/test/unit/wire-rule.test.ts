import { PicklingError, decode, encode } from '../../src/index.js';
import { fromPostable, toPostable } from '../../src/internal/index.js';

// One rule on both wires: the byte codec (Queue, Pipe, sockets) and the
// postMessage wire (pools, Process arguments) refuse the same values with a
// PicklingError that names the path, and walk a sparse array by its set
// indexes.

const wires = [
  ['the byte codec', (v: unknown, label: string) => decode(encode(v, label))],
  [
    'the postMessage wire',
    (v: unknown, label: string) => fromPostable(structuredClone(toPostable(v, label).value)),
  ],
] as const;

const refused: [string, () => unknown, RegExp][] = [
  ['a Promise', () => Promise.resolve(1), /^a Promise at item\.x\[1\] cannot be sent: .*Await it/],
  ['a WeakMap', () => new WeakMap(), /^a WeakMap at item\.x\[1\] cannot be sent/],
  ['a WeakSet', () => new WeakSet(), /^a WeakSet at item\.x\[1\] cannot be sent/],
  ['a WeakRef', () => new WeakRef({}), /^a WeakRef at item\.x\[1\] cannot be sent/],
  [
    'a FinalizationRegistry',
    () => new FinalizationRegistry(() => undefined),
    /^a FinalizationRegistry at item\.x\[1\] cannot be sent/,
  ],
  ['a symbol', () => Symbol('s'), /^Symbol\(s\) at item\.x\[1\] cannot be sent/],
  ['a function', () => function onDone() {}, /^function onDone at item\.x\[1\] cannot be sent: functions/],
];

describe.each(wires)('%s: one refusal rule', (_, send) => {
  it.each(refused)('refuses %s with a PicklingError naming its path', (_name, make, message) => {
    const value = { x: [0, make()] };
    expect(() => send(value, 'item')).toThrow(PicklingError);
    expect(() => send(value, 'item')).toThrow(message);
  });

  it('refuses them inside a Map, a Set and as the value itself', () => {
    expect(() => send(new Map([[1, Promise.resolve()]]), 'item')).toThrow(
      /^a Promise at item\.values\(\)\[0\]/,
    );
    expect(() => send(new Set([new WeakMap()]), 'item')).toThrow(/^a WeakMap at item\.values\(\)\[0\]/);
    expect(() => send(Promise.resolve(), 'item')).toThrow(/^a Promise at item cannot be sent/);
    expect(() => send(Symbol('top'), 'item')).toThrow(PicklingError);
  });

  it('still turns class instances into plain objects', () => {
    class Point {
      #secret = 1;
      constructor(
        readonly x: number,
        readonly y: number,
      ) {}
      get secret(): number {
        return this.#secret;
      }
    }
    expect(send({ p: new Point(1, 2) }, 'item')).toEqual({ p: { x: 1, y: 2 } });
  });
});

describe.each(wires)('%s: sparse arrays', (_, send) => {
  it('carries an array of length 2^31 with two elements in bounded time', () => {
    const big: unknown[] = [];
    big[0] = 'first';
    big[2 ** 31 - 2] = { last: new Map([[1, 2]]) };
    const back = send({ big }, 'item') as { big: unknown[] };
    expect(back.big.length).toBe(2 ** 31 - 1);
    expect(back.big[0]).toBe('first');
    expect(back.big[2 ** 31 - 2]).toEqual({ last: new Map([[1, 2]]) });
    expect(back.big[1]).toBeUndefined();
    expect(Object.keys(back.big)).toEqual(['0', String(2 ** 31 - 2)]);
  });

  it('names the index of a refused value in a sparse array', () => {
    const big: unknown[] = [];
    big[2 ** 31 - 2] = () => 1;
    expect(() => send(big, 'item')).toThrow(/at item\[2147483646\] cannot be sent/);
  });

  it('gives holes back as undefined in a mostly dense array', () => {
    // eslint-disable-next-line no-sparse-arrays
    const holey = [1, , 3, , 5, 6];
    const back = send(holey, 'item') as unknown[];
    expect(back).toHaveLength(6);
    expect([back[0], back[1], back[2], back[3], back[4], back[5]]).toEqual([
      1,
      undefined,
      3,
      undefined,
      5,
      6,
    ]);
  });

  it('keeps an empty array with a length', () => {
    const empty = new Array<unknown>(10_000_000);
    const back = send({ empty }, 'item') as { empty: unknown[] };
    expect(back.empty.length).toBe(10_000_000);
    expect(Object.keys(back.empty)).toEqual([]);
  });
});
