// SharedMemory, ShareableList and SharedMemoryManager across threads and
// processes: CPython's test_shared_memory_across_processes,
// test_shared_memory_pickle_unpickle(_dead_object),
// test_shared_memory_ShareableList_pickling and
// test_shared_memory_SharedMemoryManager_basics adapted.
import {
  FileNotFoundError,
  getContext,
  Pool,
  Queue,
  ShareableList,
  SharedMemory,
  SharedMemoryManager,
  StateError,
} from '@multiprocessing/all';
import { processSharedMemory } from '@multiprocessing/core/internal';
import { within } from '@multiprocessing/test-utils';
import { endTracked, fixture, track } from './children.js';
import type * as T from '../fixtures/shared-memory/targets.mjs';

const WAIT_S = 30;
const ref = fixture<typeof T>('shared-memory/targets.mjs');
const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

afterEach(endTracked);

async function run(
  method: 'thread' | 'process',
  target: ReturnType<typeof ref>,
  args: unknown[],
): Promise<number> {
  const { Process } = getContext(method);
  const p = track(new Process({ target, args }));
  p.start();
  await within(p.exited, WAIT_S * 1000, `${p.name} ending`);
  return p.exitcode ?? -1;
}

describe("between threads ('thread' start method)", () => {
  it('a child attaches by name, or receives the object, and writes (test_shared_memory_across_processes)', async () => {
    const sms = new SharedMemory({ create: true, size: 512 });
    try {
      expect(await run('thread', ref('attachThenWrite'), [sms.name, 'howdy'])).toBe(0);
      expect(text(sms.buf.subarray(0, 5))).toBe('howdy');
      expect(await run('thread', ref('writeReceived'), [sms, 'HELLO'])).toBe(0);
      expect(text(sms.buf.subarray(0, 5))).toBe('HELLO');
    } finally {
      sms.close();
      sms.unlink();
    }
  });

  it('travels by name through a queue, to the same memory (test_shared_memory_pickle_unpickle)', async () => {
    const sms = new SharedMemory({ create: true, size: 512 });
    const q = new Queue<SharedMemory>();
    try {
      sms.buf.set(new TextEncoder().encode('pickle'));
      await q.put(sms);
      const sms2 = await q.get({ timeout: WAIT_S });
      expect(sms2).not.toBe(sms);
      expect(sms2.name).toBe(sms.name);
      expect(text(sms2.buf.subarray(0, 6))).toBe('pickle');
      sms.buf.set(new TextEncoder().encode('newval'));
      expect(text(sms2.buf.subarray(0, 6))).toBe('newval');
      sms2.buf.set(new TextEncoder().encode('oldval'));
      expect(text(sms.buf.subarray(0, 6))).toBe('oldval');
      sms2.close();
    } finally {
      sms.close();
      sms.unlink();
    }
  });

  it('arrives as FileNotFoundError once unlinked, and the queue loses nothing else (…_dead_object)', async () => {
    const sms = new SharedMemory({ create: true, size: 8 });
    const q = new Queue<unknown>();
    await q.put(sms);
    await q.put('next');
    sms.close();
    sms.unlink();
    await expect(q.get({ timeout: WAIT_S })).rejects.toThrow(FileNotFoundError);
    await expect(q.get({ timeout: WAIT_S })).resolves.toBe('next');
  });

  it('a ShareableList travels by name, to the same items (test_shared_memory_ShareableList_pickling)', async () => {
    const sl = new ShareableList(['a', 1, null]);
    const q = new Queue<ShareableList>();
    try {
      await q.put(sl);
      const copy = await q.get({ timeout: WAIT_S });
      expect(copy.shm.name).toBe(sl.shm.name);
      expect(copy.toArray()).toEqual(['a', 1, null]);
      sl[0] = 'hello';
      expect(copy[0]).toBe('hello');
      copy.shm.close();
    } finally {
      sl.shm.close();
      sl.shm.unlink();
    }
  });

  it('a segment made after the pool workers started is found by name in each of them', async () => {
    await using pool = new Pool({ processes: 2 });
    // The workers run before the segment exists: a name not made yet fails there.
    await expect(pool.apply(ref('writeAt'), ['not-made-yet', 0])).rejects.toThrow(FileNotFoundError);
    const shm = new SharedMemory({ create: true, size: 64 });
    try {
      const idx = Array.from({ length: 64 }, (_, i) => i);
      const written = await pool.starmap(
        ref('writeAt'),
        idx.map((i): [string, number] => [shm.name, i]),
        { chunksize: 1 },
      );
      expect(written).toEqual(idx);
      expect([...shm.buf]).toEqual(idx.map((i) => i + 1));
    } finally {
      shm.close();
      shm.unlink();
    }
  });

  it('a list made and closed in a child is still there by name until unlinked', async () => {
    await using pool = new Pool({ processes: 1 });
    const name = String(await pool.apply(ref('makeList'), [[1, 'two', 3.5]]));
    const sl = new ShareableList(null, { name });
    expect(sl.toArray()).toEqual([1, 'two', 3.5]);
    sl.shm.close();
    sl.shm.unlink();
    expect(() => new ShareableList(null, { name })).toThrow(FileNotFoundError);
  });

  it('a handle a thread leaves open closes when the thread ends, so the bytes are reused', async () => {
    const arena = processSharedMemory();
    const shm = new SharedMemory({ create: true, size: 1 << 20 });
    expect(await run('thread', ref('attachAndLeave'), [shm.name])).toBe(0);
    expect(shm.buf[0]).toBe(1);
    const grown = arena.byteLength;
    shm.close();
    shm.unlink();
    const next = new SharedMemory({ create: true, size: 1 << 20 });
    expect(arena.byteLength).toBe(grown);
    expect(next.buf[0]).toBe(0);
    next.close();
    next.unlink();
  });
});

describe("in another OS process ('process' start method)", () => {
  it('a ShareableList is used through the process that made it: index, count, format, iteration', async () => {
    const sl = new ShareableList(['howdy', 42, null, 2.5]);
    const results = new Queue<unknown>();
    try {
      expect(await run('process', ref('useList'), [sl, results])).toBe(0);
      expect(await results.get({ timeout: WAIT_S })).toEqual([
        4,
        '8sqxxxxxx?xd',
        'howdy',
        2.5,
        ['howdy', 42, null, 2.5],
        1,
        1,
        ['howdy', 42, null, 2.5],
      ]);
      expect(await results.get({ timeout: WAIT_S })).toBe(
        `ShareableList(['hi', 42, None, 7.5], name='${sl.shm.name}')`,
      );
      expect(sl.toArray()).toEqual(['hi', 42, null, 7.5]);
    } finally {
      sl.shm.close();
      sl.shm.unlink();
    }
  });

  it('a SharedMemory arrives with its name, size and unlink(); its bytes and a name lookup fail, saying why', async () => {
    const shm = new SharedMemory({ create: true, size: 10 });
    const results = new Queue<unknown>();
    expect(await run('process', ref('useSegment'), [shm, results])).toBe(0);
    const outcome = (await results.get({ timeout: WAIT_S })) as string[];
    expect(outcome.slice(0, 3)).toEqual([shm.name, 10, String(shm)]);
    expect(outcome[3]).toBe(
      'TypeError: SharedMemory.buf is not available on a SharedMemory owned by another process',
    );
    expect(outcome[4]).toBe(
      `FileNotFoundError: [Errno 2] No such file or directory: '${shm.name}' (a name finds memory made by a ` +
        'thread of this process; Node.js cannot map the memory of another OS process)',
    );
    // The child's unlink() ran here; the parent's bytes stay until it closes.
    expect(() => new SharedMemory(shm.name)).toThrow(FileNotFoundError);
    expect(shm.buf.length).toBe(10);
    shm.close();
  });
});

describe('SharedMemoryManager (test_shared_memory_SharedMemoryManager_basics)', () => {
  it('makes segments once started and unlinks them all at shutdown', async () => {
    const smm1 = new SharedMemoryManager();
    expect(() => smm1.SharedMemory(9)).toThrow(new StateError('server not yet started'));
    await smm1.start();
    const lol = [5, 6, 7, 8, 9].map((i) => smm1.ShareableList(Array.from({ length: i }, (_, k) => k)));
    const lom = [32, 48, 64, 80, 96, 112].map((j) => smm1.SharedMemory(j));
    const doppleganger0 = new ShareableList(null, { name: lol[0]?.shm.name });
    expect(doppleganger0.length).toBe(5);
    const dopplegangerShm0 = new SharedMemory(lom[0]?.name ?? '');
    expect(dopplegangerShm0.buf.length).toBeGreaterThanOrEqual(32);
    const heldName = lom[0]?.name ?? '';
    // One the user unlinked already is skipped.
    lom[1]?.unlink();
    await smm1.shutdown();
    expect(() => new SharedMemory(heldName)).toThrow(FileNotFoundError);
    expect(() => smm1.SharedMemory(9)).toThrow(StateError);
    doppleganger0.shm.close();
    dopplegangerShm0.close();

    let heldList = '';
    {
      await using smm2 = new SharedMemoryManager();
      await smm2.start();
      const sl = smm2.ShareableList('howdy');
      smm2.SharedMemory(128);
      heldList = sl.shm.name;
      expect(new ShareableList(null, { name: heldList }).toArray()).toEqual(['h', 'o', 'w', 'd', 'y']);
    }
    expect(() => new ShareableList(null, { name: heldList })).toThrow(FileNotFoundError);
  });
});
