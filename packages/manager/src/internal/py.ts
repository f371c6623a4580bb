/**
 * Python's value semantics where the managed list and dict need them:
 * equality (`==`) for `remove`/`index`/`count`, ordering (`<`) for `sort`,
 * and `repr` for error messages.
 */
import { types } from 'node:util';

/** Python's type name of a value, for messages. */
export function pyTypeName(value: unknown): string {
  switch (typeof value) {
    case 'number':
      return Number.isInteger(value) ? 'int' : 'float';
    case 'bigint':
      return 'int';
    case 'string':
      return 'str';
    case 'boolean':
      return 'bool';
    case 'undefined':
      return 'NoneType';
    case 'function':
      return 'function';
    default:
      break;
  }
  if (value === null) return 'NoneType';
  if (Array.isArray(value)) return 'list';
  if (types.isMap(value)) return 'dict';
  if (types.isSet(value)) return 'set';
  if (ArrayBuffer.isView(value)) return 'bytes';
  if (types.isDate(value)) return 'datetime';
  return 'dict';
}

/** A short Python-style repr for messages. */
export function pyRepr(value: unknown): string {
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (value === undefined || value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
  try {
    return JSON.stringify(value) ?? Object.prototype.toString.call(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

function isNumeric(v: unknown): v is number | bigint | boolean {
  return typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean';
}

function toNumeric(v: number | bigint | boolean): number | bigint {
  return typeof v === 'boolean' ? Number(v) : v;
}

/** Python's `a == b` for plain data. */
export function pyEquals(a: unknown, b: unknown, depth = 0): boolean {
  if (a === b) return true;
  if (depth > 1000) return false;
  if (isNumeric(a) && isNumeric(b)) {
    return toNumeric(a) == toNumeric(b);
  }
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => pyEquals(item, b[i], depth + 1));
  }
  if (Array.isArray(b)) return false;
  if (types.isMap(a) || types.isMap(b)) {
    if (!types.isMap(a) || !types.isMap(b) || a.size !== b.size) return false;
    for (const [k, v] of a) if (!b.has(k) || !pyEquals(v, b.get(k), depth + 1)) return false;
    return true;
  }
  if (types.isSet(a) || types.isSet(b)) {
    if (!types.isSet(a) || !types.isSet(b) || a.size !== b.size) return false;
    for (const v of a) if (!b.has(v)) return false;
    return true;
  }
  if (types.isDate(a) || types.isDate(b)) {
    return types.isDate(a) && types.isDate(b) && a.getTime() === b.getTime();
  }
  if (ArrayBuffer.isView(a) || ArrayBuffer.isView(b)) {
    if (!ArrayBuffer.isView(a) || !ArrayBuffer.isView(b)) return false;
    const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    return x.length === y.length && x.every((v, i) => v === y[i]);
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  const rb = b as Record<string, unknown>;
  const ra = a as Record<string, unknown>;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(rb, k) && pyEquals(ra[k], rb[k], depth + 1));
}

/**
 * Python's ordering: numbers numerically, strings by code point, lists
 * element by element; other mixes throw Python's TypeError.
 */
export function pyCompare(a: unknown, b: unknown): number {
  if (isNumeric(a) && isNumeric(b)) {
    const x = toNumeric(a);
    const y = toNumeric(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (typeof a === 'string' && typeof b === 'string') {
    if (a === b) return 0;
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n;) {
      const ca = a.codePointAt(i) ?? 0;
      const cb = b.codePointAt(i) ?? 0;
      if (ca !== cb) return ca < cb ? -1 : 1;
      i += ca > 0xffff ? 2 : 1;
    }
    return a.length < b.length ? -1 : 1;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) {
      if (!pyEquals(a[i], b[i])) return pyCompare(a[i], b[i]);
    }
    return a.length - b.length;
  }
  if (types.isDate(a) && types.isDate(b)) return a.getTime() - b.getTime();
  throw new TypeError(`'<' not supported between instances of '${pyTypeName(a)}' and '${pyTypeName(b)}'`);
}
