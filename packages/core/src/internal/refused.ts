/**
 * The one rule of what a value sent to another thread or process may not
 * hold, shared by both wires (the byte codec and the postMessage wire), so a
 * Queue, a Pipe, a socket and a pool call refuse the same values with the
 * same PicklingError. It is what structured clone refuses and the wires do
 * not carry themselves: functions, symbols, Promises and the weak
 * collections. Class instances are not refused: they arrive as plain
 * objects, by contract.
 */
import { types } from 'node:util';

/**
 * How a refused value is named in the PicklingError (`function onDone`,
 * `Promise`), or `undefined` when the wires may carry it.
 */
export function refusedValue(value: unknown): string | undefined {
  switch (typeof value) {
    case 'function':
      return `function ${value.name === '' ? '(anonymous)' : value.name}`;
    case 'symbol':
      return String(value);
    case 'object':
      if (value === null) return undefined;
      if (types.isPromise(value)) return 'a Promise';
      if (types.isWeakMap(value)) return 'a WeakMap';
      if (types.isWeakSet(value)) return 'a WeakSet';
      switch (Object.prototype.toString.call(value)) {
        case '[object WeakRef]':
          return 'a WeakRef';
        case '[object FinalizationRegistry]':
          return 'a FinalizationRegistry';
        default:
          return undefined;
      }
    default:
      return undefined;
  }
}

/** The PicklingError message for a refused value, named by {@link refusedValue}, at `path`. */
export function refusalMessage(what: string, path: string): string {
  if (what.startsWith('function ')) {
    return `${what} at ${path} cannot be sent: functions cannot travel inside data. Export it from a module and pass moduleRef(url).name as the task instead`;
  }
  if (what === 'a Promise') {
    return `${what} at ${path} cannot be sent: a Promise cannot travel between threads or processes. Await it and send its value instead`;
  }
  return `${what} at ${path} cannot be sent: it cannot travel between threads or processes (structured clone refuses it too). Send plain data instead`;
}
