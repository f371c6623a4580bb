import { PicklingError, decode, encode } from '@multiprocessing/core';
import { fromPostable, toPostable } from '@multiprocessing/core/internal';
import { startWorker, terminateAll, type TestWorker } from '@multiprocessing/test-utils';
// @ts-expect-error -- a plain-JS fixture without type declarations
import { ToyCounter } from '../fixtures/toy-counter.mjs';

interface Toy {
  readonly value: number;
  increment(): number;
}
const Toy = ToyCounter as new () => Toy;

type Reply =
  | { kind: 'ready' }
  | { kind: 'post'; value: unknown }
  | { kind: 'bytes'; bytes: Uint8Array }
  | { kind: 'error'; value: unknown };

let started: TestWorker | undefined;

function next(timeoutMs = 10_000): Promise<Reply> {
  return started!.next(timeoutMs) as Promise<Reply>;
}

beforeEach(async () => {
  started = startWorker(new URL('../fixtures/toy-worker.mjs', import.meta.url));
  expect((await next()).kind).toBe('ready');
});

afterEach(async () => {
  await terminateAll();
  started = undefined;
});

describe('shareable protocol across a real worker thread', () => {
  it('arrives live through postMessage: a write on one side is seen on the other', async () => {
    const toys = [new Toy(), new Toy()];
    toys[0]!.increment();
    const { value, transfer } = toPostable({ toys }, 'payload');
    started!.worker.postMessage({ kind: 'post', value }, transfer);
    const reply = await next();
    if (reply.kind !== 'post') throw new Error(`unexpected ${reply.kind}`);
    const back = fromPostable(reply.value) as { results: number[]; ctor: string; back: Toy };
    expect(back.results).toEqual([2, 1]);
    expect(back.ctor).toBe('ToyCounter');
    // The worker's writes are visible here, through the original objects.
    expect(toys[0]!.value).toBe(2);
    expect(toys[1]!.value).toBe(1);
    // The toy sent back is a live view of the same memory.
    expect(back.back).toBeInstanceOf(Toy);
    back.back.increment();
    expect(toys[0]!.value).toBe(3);
  });

  it('arrives live through msgpackr bytes, nested at any depth', async () => {
    const toy = new Toy();
    const bytes = encode({ toys: [toy], deep: { list: [{ toy }] } }, 'item').slice();
    started!.worker.postMessage({ kind: 'bytes', bytes });
    const reply = await next();
    if (reply.kind !== 'bytes') throw fromPostable((reply as { value: unknown }).value) as Error;
    const back = decode(reply.bytes) as { results: number[]; back: Toy };
    expect(back.results).toEqual([1]);
    expect(toy.value).toBe(1);
    back.back.increment();
    expect(toy.value).toBe(2);
  });

  it('refuses a thread-only shareable for a child process with a PicklingError naming the argument', () => {
    expect(() => toPostable([1, { counter: new Toy() }], 'args', { crossProcess: true })).toThrow(
      PicklingError,
    );
    expect(() => toPostable([1, { counter: new Toy() }], 'args', { crossProcess: true })).toThrow(
      /args\[1\]\.counter \(ToyCounter\)/,
    );
  });
});
