import { fileURLToPath } from 'node:url';
import { launch, type Launched, type StartMethod } from '@multiprocessing/process/internal';
import { within } from '../helpers.js';

const echo = new URL('../fixtures/echo-entry.mjs', import.meta.url);
const selfBoot = new URL('../fixtures/self-boot-entry.mjs', import.meta.url);
const started: Launched[] = [];

function start(startMethod: StartMethod, extra: Partial<Parameters<typeof launch>[0]> = {}): Launched {
  const child = launch({ entry: echo, startMethod, name: 'Worker-1', ...extra });
  started.push(child);
  return child;
}

/** The next message from `child` (bounded: a hang fails the test). */
function next(child: Launched): Promise<unknown> {
  const message = new Promise((resolve) => {
    child.onMessage(resolve);
  });
  return within(message, 20_000, `a message from ${child.name}`);
}

/** `child.exited`, bounded. */
function exited(child: Launched): Promise<number> {
  return within(child.exited, 20_000, `the exit of ${child.name}`);
}

function messages(child: Launched): () => Promise<unknown> {
  const queue: unknown[] = [];
  const waiters: ((m: unknown) => void)[] = [];
  child.onMessage((message) => {
    const w = waiters.shift();
    if (w) w(message);
    else queue.push(message);
  });
  return () =>
    queue.length > 0
      ? Promise.resolve(queue.shift())
      : within(new Promise((resolve) => waiters.push(resolve)), 20_000, `a message from ${child.name}`);
}

afterEach(async () => {
  for (const child of started.splice(0)) {
    child.kill();
    await exited(child);
  }
});

describe.each<StartMethod>(['thread', 'process'])('launch() [%s]', (startMethod) => {
  it('passes data and sets the child identity before the entry runs', async () => {
    const data = { n: 1n, m: new Map([[1, new Set(['a'])]]), d: new Date(5), u: new Uint16Array([1, 2]) };
    const child = start(startMethod, { data, daemon: true });
    const recv = messages(child);
    expect(await recv()).toEqual({ hello: data, name: 'Worker-1' });
    child.postMessage({ cmd: 'who' });
    const who = (await recv()) as { current: Record<string, unknown>; parent: unknown };
    expect(who.current).toMatchObject({ name: 'Worker-1', daemon: true, pid: child.pid, ident: child.ident });
    expect(who.current.authkey).toMatch(/^[0-9a-f]{64}$/);
    expect(who.parent).toEqual({ name: 'MainProcess', pid: process.pid });
    expect(child.startMethod).toBe(startMethod);
    expect(child.name).toBe('Worker-1');
    if (startMethod === 'thread') expect(child.pid).toBe(process.pid);
    else expect(child.ident).toBe(child.pid);
  });

  it('delivers messages both ways, including ones posted before the entry listens', async () => {
    const child = start(startMethod);
    child.postMessage({ early: 1 });
    child.postMessage({ early: 2 });
    const recv = messages(child);
    expect(await recv()).toMatchObject({ name: 'Worker-1' });
    expect(await recv()).toEqual({ echo: { early: 1 } });
    expect(await recv()).toEqual({ echo: { early: 2 } });
    child.postMessage({ later: [1, 2, 3] });
    expect(await recv()).toEqual({ echo: { later: [1, 2, 3] } });
  });

  it('reports exit(n) as exitcode n, null until then', async () => {
    const child = start(startMethod);
    await next(child);
    expect(child.exitcode).toBeNull();
    child.postMessage({ cmd: 'exit', code: 7 });
    await expect(exited(child)).resolves.toBe(7);
    expect(child.exitcode).toBe(7);
    expect(child.error).toBeUndefined();
  });

  it('ends with code 0 when the entry has nothing left to do', async () => {
    const child = launch({
      entry: new URL('../fixtures/noop-entry.mjs', import.meta.url),
      startMethod,
      name: 'Noop',
    });
    started.push(child);
    await expect(exited(child)).resolves.toBe(0);
  });

  it('reports an uncaught error as exitcode 1 with the error rebuilt', async () => {
    const child = start(startMethod);
    await next(child);
    child.postMessage({ cmd: 'throw', message: 'boom' });
    await expect(exited(child)).resolves.toBe(1);
    expect(child.error).toBeInstanceOf(TypeError);
    expect(child.error?.message).toBe('boom');
    expect(child.error?.stack).toContain('echo-entry.mjs');
  });

  it('reports an unhandled rejection as exitcode 1', async () => {
    const child = start(startMethod);
    await next(child);
    child.postMessage({ cmd: 'reject', message: 'nope' });
    await expect(exited(child)).resolves.toBe(1);
    expect(child.error).toBeInstanceOf(RangeError);
  });

  it('reports an entry that fails to load as exitcode 1', async () => {
    const child = launch({
      entry: new URL('../fixtures/missing-export-entry.mjs', import.meta.url),
      startMethod,
      name: 'Bad',
    });
    started.push(child);
    await expect(exited(child)).resolves.toBe(1);
    expect(child.error).toBeInstanceOf(SyntaxError);
  });

  it('terminate() ends a busy child with exitcode -15', async () => {
    const child = start(startMethod);
    const recv = messages(child);
    await recv();
    child.postMessage({ cmd: 'spin' });
    expect(await recv()).toBe('spinning');
    child.terminate();
    await expect(exited(child)).resolves.toBe(-15);
    expect(child.exitcode).toBe(-15);
  });

  it('kill() ends a busy child with exitcode -9', async () => {
    const child = start(startMethod);
    const recv = messages(child);
    await recv();
    child.postMessage({ cmd: 'spin' });
    expect(await recv()).toBe('spinning');
    child.kill();
    await expect(exited(child)).resolves.toBe(-9);
  });

  it('ignores postMessage, terminate and kill after the end', async () => {
    const child = start(startMethod);
    await next(child);
    child.postMessage({ cmd: 'exit', code: 0 });
    await exited(child);
    expect(() => {
      child.postMessage({ late: true });
      child.terminate();
      child.kill();
    }).not.toThrow();
    expect(child.exitcode).toBe(0);
  });

  it('refuses data that cannot be cloned with a PicklingError, leaving no child behind', () => {
    expect(() => launch({ entry: echo, startMethod, name: 'x', data: { f: () => 1 } })).toThrow(
      expect.objectContaining({
        code: 'ERR_MP_PICKLING',
        message: expect.stringContaining('could not be cloned'),
      }),
    );
    if (startMethod === 'process') {
      expect(() => launch({ entry: echo, startMethod, name: 'x', data: new SharedArrayBuffer(4) })).toThrow(
        expect.objectContaining({ code: 'ERR_MP_PICKLING' }),
      );
    }
  });

  it('rejects bad options with TypeError naming the option', () => {
    expect(() => launch({ entry: 'relative.js', startMethod, name: 'x' })).toThrow(/entry/);
    expect(() => launch({ entry: echo, startMethod: 'fork' as StartMethod, name: 'x' })).toThrow(TypeError);
    expect(() => launch({ entry: echo, startMethod, name: '' })).toThrow(/name/);
    expect(() => launch({ entry: echo, startMethod, name: 'x', daemon: 1 as unknown as boolean })).toThrow(
      /daemon/,
    );
    expect(() =>
      launch({ entry: echo, startMethod, name: 'x', output: 'pipe' as unknown as () => void }),
    ).toThrow(new TypeError('output must be a function'));
    expect(() =>
      launch({ entry: echo, startMethod, name: 'x', entryBootstraps: 'yes' as unknown as boolean }),
    ).toThrow(new TypeError('entryBootstraps must be a boolean'));
  });

  it('with entryBootstraps, the entry becomes the child itself under thread, after the bootstrap under process', async () => {
    const child = launch({
      entry: selfBoot,
      startMethod,
      name: 'Self-1',
      data: { n: 7n },
      entryBootstraps: true,
    });
    started.push(child);
    const recv = messages(child);
    const hello = (await recv()) as Record<string, unknown>;
    expect(hello).toMatchObject({ data: { n: 7n }, name: 'Self-1', parent: process.pid });
    // Under 'thread' the worker starts on the entry: no bootstrap ran before it.
    expect(hello.bootstrapRan).toBe(startMethod === 'process');
    if (startMethod === 'thread') expect(hello.firstModule).toBe(fileURLToPath(selfBoot));
    // Its uncaught errors still end it the runtime's way, with their class.
    child.postMessage({ cmd: 'throw', message: 'boom' });
    expect(await exited(child)).toBe(1);
    expect(child.error).toBeInstanceOf(RangeError);
    expect(child.error?.message).toBe('boom');
  });

  it('hands the child output to `output` instead of ours, all of it before `exited` resolves', async () => {
    const chunks: { stream: string; text: string }[] = [];
    const child = start(startMethod, {
      output: (stream, chunk) => {
        chunks.push({ stream, text: chunk.toString() });
      },
    });
    const recv = messages(child);
    await recv(); // hello
    child.postMessage({ cmd: 'log', text: 'captured line' });
    expect(await recv()).toBe('logged');
    child.postMessage({ cmd: 'exit', code: 0 });
    expect(await exited(child)).toBe(0);
    const text = (stream: string): string =>
      chunks
        .filter((c) => c.stream === stream)
        .map((c) => c.text)
        .join('');
    expect(text('stdout')).toBe('captured line\n');
    expect(text('stderr')).toBe('captured line\n');
  });
});

describe('launch() [thread only]', () => {
  it('applies resourceLimits: a child over its heap limit ends with code 1', async () => {
    const child = launch({
      entry: new URL('../fixtures/oom-entry.mjs', import.meta.url),
      startMethod: 'thread',
      name: 'Hog',
      resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 },
    });
    started.push(child);
    await expect(exited(child)).resolves.toBe(1);
    expect((child.error as { code?: string } | undefined)?.code).toBe('ERR_WORKER_OUT_OF_MEMORY');
  });

  it('transfers what the transfer list names', async () => {
    const buf = new ArrayBuffer(8);
    const child = start('thread', { data: { buf }, transfer: [buf] });
    await next(child);
    expect(buf.byteLength).toBe(0);
  });
});
