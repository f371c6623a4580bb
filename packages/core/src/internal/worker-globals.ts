/**
 * The identifiers a self-contained function may use freely: the globals of a
 * plain Node 20 worker (ECMAScript built-ins plus Node's web and runtime
 * globals), and `arguments`. Any other free identifier is a closure.
 */
export const workerGlobals: ReadonlySet<string> = new Set([
  'AbortController', 'AbortSignal', 'AggregateError', 'Array', 'ArrayBuffer',
  'Atomics', 'BigInt', 'BigInt64Array', 'BigUint64Array', 'Blob', 'Boolean',
  'BroadcastChannel', 'Buffer', 'ByteLengthQueuingStrategy',
  'CompressionStream', 'CountQueuingStrategy', 'Crypto', 'CryptoKey',
  'CustomEvent', 'DOMException', 'DataView', 'Date', 'DecompressionStream',
  'Error', 'EvalError', 'Event', 'EventTarget', 'File', 'FinalizationRegistry',
  'Float32Array', 'Float64Array', 'FormData', 'Function', 'Headers',
  'Infinity', 'Int16Array', 'Int32Array', 'Int8Array', 'Intl', 'JSON', 'Map',
  'Math', 'MessageChannel', 'MessageEvent', 'MessagePort', 'NaN', 'Number',
  'Object', 'Performance', 'PerformanceEntry', 'PerformanceMark',
  'PerformanceMeasure', 'PerformanceObserver', 'PerformanceObserverEntryList',
  'PerformanceResourceTiming', 'Promise', 'Proxy', 'RangeError',
  'ReadableByteStreamController', 'ReadableStream', 'ReadableStreamBYOBReader',
  'ReadableStreamBYOBRequest', 'ReadableStreamDefaultController',
  'ReadableStreamDefaultReader', 'ReferenceError', 'Reflect', 'RegExp',
  'Request', 'Response', 'Set', 'SharedArrayBuffer', 'String', 'SubtleCrypto',
  'Symbol', 'SyntaxError', 'TextDecoder', 'TextDecoderStream', 'TextEncoder',
  'TextEncoderStream', 'TransformStream', 'TransformStreamDefaultController',
  'TypeError', 'URIError', 'URL', 'URLSearchParams', 'Uint16Array',
  'Uint32Array', 'Uint8Array', 'Uint8ClampedArray', 'WeakMap', 'WeakRef',
  'WeakSet', 'WebAssembly', 'WritableStream', 'WritableStreamDefaultController',
  'WritableStreamDefaultWriter', 'atob', 'btoa', 'clearImmediate',
  'clearInterval', 'clearTimeout', 'console', 'crypto', 'decodeURI',
  'decodeURIComponent', 'encodeURI', 'encodeURIComponent', 'escape', 'eval',
  'fetch', 'global', 'globalThis', 'isFinite', 'isNaN', 'parseFloat',
  'parseInt', 'performance', 'process', 'queueMicrotask', 'setImmediate',
  'setInterval', 'setTimeout', 'structuredClone', 'undefined', 'unescape',
  'arguments',
]);
