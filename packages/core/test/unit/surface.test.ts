// The public index exports what a user of the packages needs (errors, the
// shareable protocol, the codec, task references, the logger) and no plumbing; the
// plumbing the siblings share is on the `./internal` subpath.
import * as core from '../../src/index.js';
import * as internal from '../../src/internal/index.js';

describe('@multiprocessing/core surface', () => {
  it('exports exactly the public values', () => {
    expect(Object.keys(core).sort()).toEqual(
      [
        'AuthenticationError',
        'BrokenBarrierError',
        'BrokenPoolError',
        'BufferTooShortError',
        'CancelledError',
        'ClusterConnectionError',
        'EOFError',
        'EmptyError',
        'FileExistsError',
        'FileNotFoundError',
        'FullError',
        'InvalidStateError',
        'LogLevel',
        'PicklingError',
        'ProcessError',
        'QueueFullError',
        'RemoteError',
        'ShutDownError',
        'StateError',
        'TimeoutError',
        'WorkerLostError',
        'decode',
        'encode',
        'errorClasses',
        'getLogger',
        'isShareable',
        'isTaskRef',
        'kInspect',
        'kShareable',
        'logToStderr',
        'moduleRef',
        'registerShareable',
        'taskRef',
      ].sort(),
    );
  });

  it.each([
    'freeVariables',
    'adoptSharedBuffers',
    'exportSharedBuffer',
    'importSharedBuffer',
    'sharedBufferSnapshot',
    'toPostable',
    'fromPostable',
    'loadRevivers',
    'loadTask',
    'toTaskSpec',
    'toModuleUrl',
    'taskKey',
    'serializeError',
    'deserializeError',
  ])('keeps %s on the internal subpath only', (name) => {
    expect(name in core).toBe(false);
    expect(typeof (internal as Record<string, unknown>)[name]).toBe('function');
  });
});
