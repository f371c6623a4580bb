/**
 * The parts of the shared Connection suite (`connectionSuite` in
 * `connection-suite.ts`): the API both classes share, what a test gets,
 * bounded waits and error checks.
 */
import { encode } from '@multiprocessing/core';
import { within } from '@multiprocessing/test-utils';

export type Bytes = ArrayBufferView | ArrayBuffer | SharedArrayBuffer;

/** The API both classes share. */
export interface SuiteConnection {
  readonly closed: boolean;
  readonly readable: boolean;
  readonly writable: boolean;
  send(obj: unknown): void;
  sendBytes(buf: Bytes, offset?: number, size?: number): void;
  recv(): Promise<unknown>;
  recvBytes(maxlength?: number): Promise<Uint8Array>;
  recvBytesInto(buf: Bytes, offset?: number): Promise<number>;
  poll(timeout?: number | null): Promise<boolean>;
  close(): void;
  [Symbol.dispose](): void;
  toString(): string;
}

/** Two connected ends, and how to release everything that made them. */
export interface ConnectionPair {
  a: SuiteConnection;
  b: SuiteConnection;
  dispose(): void | Promise<void>;
}

/** Where the classes differ by design. */
export interface Capabilities {
  /**
   * Blocking receive twins (`recvSync`, `recvBytesSync`, `recvBytesIntoSync`,
   * `pollSync`). A Pipe end waits on shared memory, so it may block its
   * thread; a socket is read by its own thread's event loop, which a
   * blocking call would stop for ever, so a socket Connection has none.
   */
  syncTwins: boolean;
}

/** The bound of every wait: a bug fails the test instead of hanging it. */
export const BOUND_MS = 10_000;

/** The error `fn` throws (fails when it returns). */
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

/**
 * The error a Promise-returning call rejects with. A call that throws
 * instead of returning a rejected Promise fails here: both classes report
 * every error of an async method through its Promise.
 */
export async function rejection(call: () => Promise<unknown>, what: string): Promise<unknown> {
  let promise: Promise<unknown>;
  try {
    promise = call();
  } catch (err) {
    throw new Error(`${what} threw synchronously instead of rejecting: ${String(err)}`);
  }
  try {
    await within(promise, BOUND_MS, what);
  } catch (err) {
    return err;
  }
  throw new Error(`${what} resolved; expected a rejection`);
}

export function expectError(
  err: unknown,
  cls: abstract new (...args: never[]) => Error,
  message: string,
): void {
  expect(err).toBeInstanceOf(cls);
  expect((err as Error).constructor).toBe(cls);
  expect((err as Error).message).toBe(message);
}

/** What the codec refuses `value` with, as both classes must (one rule, core's). */
export function refusalOf(value: unknown): string {
  return (thrown(() => encode(value, 'obj')) as Error).message;
}

/** True when `promise` settles before this thread's event loop turns once. */
export async function settlesAtOnce(promise: Promise<unknown>): Promise<boolean> {
  const turn = new Promise<'turned'>((resolve) => {
    setImmediate(() => {
      resolve('turned');
    });
  });
  const first = await Promise.race([promise.then(() => 'settled' as const), turn]);
  await promise;
  return first === 'settled';
}

/** What each test of the suite gets. */
export interface SuiteContext {
  /** Connects a fresh pair; the suite disposes of it after the test. */
  ends: () => Promise<[SuiteConnection, SuiteConnection]>;
  capabilities: Capabilities;
}

/** The next object, within the bound. */
export function recv(c: SuiteConnection, what = 'recv'): Promise<unknown> {
  return within(c.recv(), BOUND_MS, what);
}

/** The next message's bytes as numbers, within the bound. */
export async function recvBytes(c: SuiteConnection, maxlength?: number): Promise<number[]> {
  return [...(await within(c.recvBytes(maxlength), BOUND_MS, 'recvBytes'))];
}

/** `c.poll(timeout)`, within the bound. */
export function poll(c: SuiteConnection, timeout?: number | null): Promise<boolean> {
  return within(c.poll(timeout), BOUND_MS, `poll(${String(timeout)})`);
}
