/**
 * Errors across thread and process boundaries. Plain `postMessage` turns
 * every subclass into `Error`; these helpers keep the class (built-in or
 * ours), `name`, `message`, `stack`, `cause` and own properties such as
 * `code`. Python attaches the remote traceback as `__cause__`; we keep the
 * worker's stack in `stack` itself.
 */
import { types } from 'node:util';
import { errorClasses, ProcessError, WorkerLostError } from './errors.js';

/** The plain-data form of an error. */
export interface SerializedError {
  readonly __mpError: 1;
  /** `Error`, a built-in class name, or `mp` for one of ours. */
  readonly kind: string;
  readonly name: string;
  readonly message: string;
  readonly stack: string | undefined;
  /** Own enumerable properties other than the above (e.g. `code`). */
  readonly props: Record<string, unknown>;
  readonly cause?: unknown;
  readonly errors?: unknown[];
}

const builtins: Record<string, ErrorConstructor | AggregateErrorConstructor> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  URIError,
  EvalError,
  AggregateError,
};

const skipProps = new Set(['name', 'message', 'stack', 'cause', 'errors']);

/** True when `value` is an error, from this realm or another. */
export function isError(value: unknown): value is Error {
  return types.isNativeError(value) || value instanceof Error;
}

/** True when `value` is the output of {@link serializeError}. */
export function isSerializedError(value: unknown): value is SerializedError {
  return typeof value === 'object' && value !== null && (value as { __mpError?: unknown }).__mpError === 1;
}

function plainValue(value: unknown, depth: number): unknown {
  if (isError(value)) return depth > 8 ? String(value) : serialize(value, depth + 1);
  if (typeof value === 'function' || typeof value === 'symbol') return String(value);
  return value;
}

/**
 * How an error crosses: `mp` for one of our classes, the built-in class's
 * name, or `Error` for any other class (which arrives as a plain Error).
 */
function kindOf(err: Error): string {
  const proto = Object.getPrototypeOf(err) as { constructor?: unknown } | null;
  const ctor = proto?.constructor;
  const code = (err as { code?: unknown }).code;
  if (err instanceof ProcessError && typeof code === 'string' && errorClasses.get(code) === ctor) {
    return 'mp';
  }
  const ctorName = typeof ctor === 'function' ? ctor.name : undefined;
  if (ctorName !== undefined && ctorName in builtins && err.name === ctorName) return ctorName;
  return 'Error';
}

/**
 * True when `err` comes back from {@link deserializeError} as its own class:
 * one of ours, or a built-in (`Error`, `TypeError`, … `AggregateError`).
 */
export function keepsClass(err: Error): boolean {
  const kind = kindOf(err);
  return kind !== 'Error' || Object.getPrototypeOf(err) === Error.prototype;
}

function serialize(err: Error, depth: number): SerializedError {
  const kind = kindOf(err);
  const props: Record<string, unknown> = {};
  for (const key of Object.keys(err)) {
    if (!skipProps.has(key)) props[key] = plainValue((err as unknown as Record<string, unknown>)[key], depth);
  }
  const out: {
    -readonly [K in keyof SerializedError]: SerializedError[K];
  } = {
    __mpError: 1,
    kind,
    name: err.name,
    message: err.message,
    stack: err.stack,
    props,
  };
  if ('cause' in err && err.cause !== undefined) out.cause = plainValue(err.cause, depth);
  if (err instanceof AggregateError || Array.isArray((err as { errors?: unknown }).errors)) {
    out.errors = ((err as AggregateError).errors as unknown[]).map((e) => plainValue(e, depth));
  }
  return out;
}

/**
 * Turns an error into plain data that structured clone and msgpackr carry
 * without loss. A non-error value is wrapped in an `Error` first, as a
 * thrown string would be in Python's `raise`.
 */
export function serializeError(err: unknown): SerializedError {
  if (isError(err)) return serialize(err, 0);
  return serialize(new Error(String(err)), 0);
}

/**
 * Runs `make` (which constructs an error) with V8's stack capture off. A
 * rebuilt error gets the sender's stack, so a local capture is waste, and a
 * costly one: V8 records the frames on construction, and redefining `stack`
 * afterwards makes it format them (about 90 % of decoding an error). While
 * `Error.stackTraceLimit` is not a number V8 captures nothing and adds no
 * `stack` property; the limit is put back before this returns.
 */
function withoutStackCapture<T>(make: () => T): T {
  const limit = Error.stackTraceLimit;
  if (typeof limit !== 'number') return make();
  const ctor = Error as unknown as { stackTraceLimit: unknown };
  try {
    ctor.stackTraceLimit = undefined;
  } catch {
    // Frozen intrinsics: keep the capture.
    return make();
  }
  try {
    return make();
  } finally {
    ctor.stackTraceLimit = limit;
  }
}

/** A new, empty error of `data`'s class, with its message. */
function construct(data: SerializedError): Error {
  let err: Error;
  const props = data.props;
  if (data.kind === 'mp') {
    const cls = errorClasses.get(props.code as string) ?? ProcessError;
    if (cls === WorkerLostError) {
      err = new WorkerLostError(String(props.workerName), props.exitcode as number | null, {
        message: data.message,
      });
    } else {
      err = Object.create(cls.prototype) as Error;
      Object.defineProperty(err, 'message', {
        value: data.message,
        writable: true,
        configurable: true,
        enumerable: false,
      });
    }
  } else if (data.kind === 'AggregateError') {
    err = new AggregateError([], data.message);
  } else {
    const Ctor = (builtins[data.kind] ?? Error) as ErrorConstructor;
    err = new Ctor(data.message);
  }
  return err;
}

/**
 * Rebuilds an error from {@link serializeError}'s output. Our classes and
 * the built-in classes come back as the same class; any other class comes
 * back as an `Error` with the same `name`, `message`, `stack` and own
 * properties.
 */
export function deserializeError(data: SerializedError): Error {
  const err = withoutStackCapture(() => construct(data));
  for (const [key, value] of Object.entries(data.props)) {
    (err as unknown as Record<string, unknown>)[key] = isSerializedError(value)
      ? deserializeError(value)
      : value;
  }
  if (err.name !== data.name) {
    Object.defineProperty(err, 'name', {
      value: data.name,
      writable: true,
      configurable: true,
      enumerable: false,
    });
  }
  Object.defineProperty(err, 'stack', {
    value: data.stack,
    writable: true,
    configurable: true,
    enumerable: false,
  });
  if (data.cause !== undefined) {
    Object.defineProperty(err, 'cause', {
      value: isSerializedError(data.cause) ? deserializeError(data.cause) : data.cause,
      writable: true,
      configurable: true,
      enumerable: false,
    });
  }
  if (data.errors !== undefined) {
    Object.defineProperty(err, 'errors', {
      value: data.errors.map((e) => (isSerializedError(e) ? deserializeError(e) : e)),
      writable: true,
      configurable: true,
      enumerable: false,
    });
  }
  return err;
}
