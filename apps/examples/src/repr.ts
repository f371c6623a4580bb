/**
 * Python's `repr` for the values the examples print, so the output reads like
 * the tutorials': `[1.0, 1.41]`, `{'name': 'Ada Lovelace', 'age': 202}`,
 * `(1, 2)` for tuples built with {@link tuple}.
 */

const kTuple = Symbol('tuple');

/** Marks an array to print as a Python tuple. */
export function tuple<T extends unknown[]>(...items: T): T {
  Object.defineProperty(items, kTuple, { value: true });
  return items;
}

/** A number that prints as a Python float (`1.0`, `1.41`). */
export class Float {
  constructor(readonly value: number) {}
}

/** Shorthand for `new Float(value)`. */
export function float(value: number): Float {
  return new Float(value);
}

function reprNumber(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  return String(value);
}

function reprFloat(value: number): string {
  const text = reprNumber(value);
  return /^-?\d+$/.test(text) ? `${text}.0` : text;
}

function reprString(value: string): string {
  const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
  const escaped = value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\t/g, '\\t');
  return quote === "'" ? `'${escaped.replace(/'/g, "\\'")}'` : `"${escaped}"`;
}

/** Formats `value` as Python's `repr` would. */
export function repr(value: unknown): string {
  if (value instanceof Float) return reprFloat(value.value);
  switch (typeof value) {
    case 'string':
      return reprString(value);
    case 'number':
      return reprNumber(value);
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 'True' : 'False';
    case 'undefined':
      return 'None';
    default:
      break;
  }
  if (value === null) return 'None';
  if (Array.isArray(value)) {
    const items = value.map((item: unknown) => repr(item));
    if ((value as { [kTuple]?: boolean })[kTuple] === true) {
      return items.length === 1 ? `(${items[0] ?? ''},)` : `(${items.join(', ')})`;
    }
    return `[${items.join(', ')}]`;
  }
  if (value instanceof Map) {
    const items = [...(value as Map<unknown, unknown>)].map(([k, v]) => `${repr(k)}: ${repr(v)}`);
    return `{${items.join(', ')}}`;
  }
  if (value instanceof Set) {
    return value.size === 0 ? 'set()' : `{${[...(value as Set<unknown>)].map((v) => repr(v)).join(', ')}}`;
  }
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return `[${Array.from(value as unknown as ArrayLike<number>, (v) => repr(v)).join(', ')}]`;
  }
  if (value instanceof Error) return `${value.name}(${reprString(value.message)})`;
  const entries = Object.entries(value as Record<string, unknown>);
  return `{${entries.map(([k, v]) => `${reprString(k)}: ${repr(v)}`).join(', ')}}`;
}

/** Python's `print`: each argument as `str()` would show it, space-separated. */
export function print(...args: unknown[]): void {
  console.log(args.map((a) => (typeof a === 'string' ? a : repr(a))).join(' '));
}
