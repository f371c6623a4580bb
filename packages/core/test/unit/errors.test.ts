import {
  AuthenticationError,
  BrokenBarrierError,
  BrokenPoolError,
  BufferTooShortError,
  ClusterConnectionError,
  FileExistsError,
  FileNotFoundError,
  CancelledError,
  EOFError,
  EmptyError,
  FullError,
  PicklingError,
  ProcessError,
  QueueFullError,
  RemoteError,
  ShutDownError,
  StateError,
  InvalidStateError,
  TimeoutError,
  WorkerLostError,
  decode,
  encode,
  errorClasses,
} from '../../src/index.js';
import { types } from 'node:util';
import { deserializeError, keepsClass, serializeError } from '../../src/internal/index.js';

const table: [typeof ProcessError, string][] = [
  [ProcessError, 'ERR_MP_PROCESS'],
  [TimeoutError, 'ERR_MP_TIMEOUT'],
  [AuthenticationError, 'ERR_MP_AUTH'],
  [BufferTooShortError, 'ERR_MP_BUFFER_TOO_SHORT'],
  [RemoteError, 'ERR_MP_REMOTE'],
  [PicklingError, 'ERR_MP_PICKLING'],
  [EmptyError, 'ERR_MP_EMPTY'],
  [FullError, 'ERR_MP_FULL'],
  [ShutDownError, 'ERR_MP_SHUT_DOWN'],
  [EOFError, 'ERR_MP_EOF'],
  [BrokenPoolError, 'ERR_MP_BROKEN_POOL'],
  [QueueFullError, 'ERR_MP_QUEUE_FULL'],
  [BrokenBarrierError, 'ERR_MP_BROKEN_BARRIER'],
  [CancelledError, 'ERR_MP_CANCELLED'],
  [StateError, 'ERR_MP_STATE'],
  [InvalidStateError, 'ERR_MP_INVALID_STATE'],
  [ClusterConnectionError, 'ERR_MP_CLUSTER_CONNECTION'],
  [FileExistsError, 'ERR_MP_FILE_EXISTS'],
  [FileNotFoundError, 'ERR_MP_FILE_NOT_FOUND'],
];

/** The two wires an error can take: our plain-data form through structured clone, and msgpackr bytes. */
const wires: [string, (err: unknown) => unknown][] = [
  ['serializeError + structured clone', (err) => deserializeError(structuredClone(serializeError(err)))],
  ['msgpackr codec', (err) => decode(encode(err))],
];

describe('error classes', () => {
  it.each(table)('%p has its code, name and base class', (Cls, code) => {
    const err = new Cls('boom');
    expect(err).toBeInstanceOf(Error);
    expect(err).toBeInstanceOf(ProcessError);
    expect(err.code).toBe(code);
    expect(Cls.code).toBe(code);
    expect(err.name).toBe(Cls.name);
    expect(err.message).toBe('boom');
    expect(errorClasses.get(code)).toBe(Cls);
  });

  it('gives WorkerLostError the message that names the worker and its exit code', () => {
    const err = new WorkerLostError('PoolWorker-2', 3);
    expect(err.message).toBe('Worker PoolWorker-2 exited with code 3 while running a task');
    expect(err.exitcode).toBe(3);
    expect(err.workerName).toBe('PoolWorker-2');
    expect(err.code).toBe('ERR_MP_WORKER_LOST');
  });

  it('keeps the standard cause', () => {
    const cause = new Error('inner');
    expect(new RemoteError('outer', { cause }).cause).toBe(cause);
  });
});

describe.each(wires)('round trip through %s', (_wire, roundTrip) => {
  it.each(table)('%p comes back as the same class with code, message and stack', (Cls) => {
    const err = new Cls('it broke');
    const back = roundTrip(err) as ProcessError;
    expect(back).toBeInstanceOf(Cls);
    expect(back.constructor).toBe(Cls);
    expect(back.code).toBe(err.code);
    expect(back.message).toBe('it broke');
    expect(back.name).toBe(Cls.name);
    expect(back.stack).toBe(err.stack);
  });

  it('keeps WorkerLostError fields', () => {
    const back = roundTrip(new WorkerLostError('PoolWorker-7', -9)) as WorkerLostError;
    expect(back).toBeInstanceOf(WorkerLostError);
    expect(back.exitcode).toBe(-9);
    expect(back.workerName).toBe('PoolWorker-7');
    expect(back.message).toBe('Worker PoolWorker-7 exited with code -9 while running a task');
  });

  it.each([Error, TypeError, RangeError, SyntaxError, ReferenceError, URIError, EvalError])(
    'keeps the built-in class %p',
    (Cls) => {
      const err = new Cls('builtin');
      const back = roundTrip(err) as Error;
      expect(back.constructor).toBe(Cls);
      expect(back.message).toBe('builtin');
      expect(back.stack).toBe(err.stack);
    },
  );

  it('keeps AggregateError and its errors', () => {
    const err = new AggregateError([new TypeError('a'), new FullError('b')], 'many');
    const back = roundTrip(err) as AggregateError;
    expect(back).toBeInstanceOf(AggregateError);
    expect(back.errors[0]).toBeInstanceOf(TypeError);
    expect(back.errors[1]).toBeInstanceOf(FullError);
  });

  it('turns any other class into an Error with the same name, message, stack and own properties', () => {
    class DatabaseError extends Error {
      code = 'E_DB';
      retry = true;
      constructor(message: string) {
        super(message);
        this.name = 'DatabaseError';
      }
    }
    const err = new DatabaseError('no table');
    const back = roundTrip(err) as Error & { code: string; retry: boolean };
    expect(back.constructor).toBe(Error);
    expect(back.name).toBe('DatabaseError');
    expect(back.message).toBe('no table');
    expect(back.stack).toBe(err.stack);
    expect(back.code).toBe('E_DB');
    expect(back.retry).toBe(true);
  });

  it('neither captures nor formats a local stack while rebuilding an error, and restores Error.stackTraceLimit', () => {
    const sent = new RangeError('remote', { cause: new StateError('inner') });
    // Format the sender's stacks before counting: only the receiver's work counts.
    const stacks = [sent.stack, (sent.cause as Error).stack];
    const original = Object.getOwnPropertyDescriptor(Error, 'prepareStackTrace');
    const limit = Error.stackTraceLimit;
    let formatted = 0;
    Error.prepareStackTrace = (err: Error, frames: NodeJS.CallSite[]): string => {
      formatted++;
      return `${err.name}: ${err.message} (${String(frames.length)} frames)`;
    };
    try {
      const back = roundTrip(sent);
      expect(formatted).toBe(0);
      expect(types.isNativeError(back)).toBe(true);
      expect([(back as Error).stack, ((back as Error).cause as Error).stack]).toEqual(stacks);
      expect(Error.stackTraceLimit).toBe(limit);
    } finally {
      if (original === undefined) delete (Error as { prepareStackTrace?: unknown }).prepareStackTrace;
      else Object.defineProperty(Error, 'prepareStackTrace', original);
    }
  });

  it('keeps a stackTraceLimit that is not a number as it is', () => {
    const limit = Error.stackTraceLimit;
    const err = new TypeError('no limit');
    delete (Error as { stackTraceLimit?: number }).stackTraceLimit;
    try {
      const back = roundTrip(err) as Error;
      expect('stackTraceLimit' in Error).toBe(false);
      expect(back).toBeInstanceOf(TypeError);
      expect(back.stack).toBe(err.stack);
    } finally {
      Error.stackTraceLimit = limit;
    }
  });

  it('keeps a chain of causes', () => {
    const err = new StateError('outer', { cause: new TypeError('inner') });
    const back = roundTrip(err) as Error;
    expect(back.cause).toBeInstanceOf(TypeError);
    expect((back.cause as Error).message).toBe('inner');
  });
});

describe(serializeError, () => {
  it('wraps a thrown non-error in an Error', () => {
    const back = deserializeError(serializeError('plain string'));
    expect(back).toBeInstanceOf(Error);
    expect(back.message).toBe('plain string');
  });
});

describe(keepsClass, () => {
  it('is true for our classes and the built-ins, false for any other class', () => {
    expect(keepsClass(new FullError('x'))).toBe(true);
    expect(keepsClass(new TypeError('x'))).toBe(true);
    expect(keepsClass(new Error('x'))).toBe(true);
    class DatabaseError extends Error {}
    expect(keepsClass(new DatabaseError('x'))).toBe(false);
    class MyTimeout extends TimeoutError {}
    expect(keepsClass(new MyTimeout('x'))).toBe(false);
  });
});
