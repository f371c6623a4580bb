/**
 * The `context` option of `Pool`, `ProcessPoolExecutor` and the managers:
 * a context from `getContext()`, as Python's `ctx` argument is. One check,
 * so every class refuses the same values with the same words.
 */
import type { StartMethod } from '../start-method.js';

/** A bad argument, as error messages show it: `the string 'x'`, `5`, `null`, `an array`, `object`. */
export function describeArgument(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return `the string '${value}'`;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean')
    return String(value);
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}

/**
 * The start method a `context` option names, or undefined when it is
 * absent (the caller applies the default). A start-method string is
 * refused, with the call to make instead.
 * @throws {TypeError} naming `context`.
 */
export function contextStartMethod(context: unknown): StartMethod | undefined {
  if (context === undefined || context === null) return undefined;
  const expected = "context must be a context from getContext('thread' | 'process')";
  if (typeof context === 'string') {
    const hint = context === 'thread' || context === 'process' ? `: pass getContext('${context}')` : '';
    throw new TypeError(`${expected}, got ${describeArgument(context)}${hint}`);
  }
  if (typeof context !== 'object') {
    throw new TypeError(`${expected}, got ${describeArgument(context)}`);
  }
  const method = (context as { startMethod?: unknown }).startMethod;
  if (method !== 'thread' && method !== 'process') {
    throw new TypeError(`${expected}, got an object whose startMethod is ${describeArgument(method)}`);
  }
  return method;
}
