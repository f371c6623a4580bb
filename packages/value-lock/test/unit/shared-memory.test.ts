// SharedMemory in one thread: CPython's test_shared_memory_basics,
// test_invalid_shared_memory_creation and test_shared_memory_recreate
// adapted, and the process's named memory (names, reuse, zeroing).
import { FileExistsError, FileNotFoundError, SharedMemory, StateError } from '@multiprocessing/value-lock';
import { processSharedMemory } from '@multiprocessing/core/internal';

let counter = 0;
/** A name no other test uses. */
function fresh(prefix: string): string {
  return `${prefix}_${String(process.pid)}_${String(counter++)}`;
}

describe('SharedMemory basics (test_shared_memory_basics)', () => {
  it('creates, names, sizes, attaches and refuses what Python refuses', () => {
    const name = fresh('test01_tsmb');
    const sms = new SharedMemory({ name, create: true, size: 512 });
    expect(sms.name).toBe(name);
    expect(sms.size).toBe(512);
    expect(sms.buf.length).toBe(512);
    expect(String(sms)).toBe(`SharedMemory('${name}', size=512)`);

    sms.buf[0] = 42;
    expect(sms.buf[0]).toBe(42);

    const alsoSms = new SharedMemory(name);
    expect(alsoSms.buf[0]).toBe(42);
    alsoSms.close();

    // Attaching with a size: the size is ignored.
    const sameSms = new SharedMemory({ name, size: 20 * sms.size });
    expect(sameSms.size).toBe(512);
    sameSms.close();

    // A name can be unlinked once.
    const dbl = new SharedMemory({ name: fresh('test01_dblunlink'), create: true, size: 5000 });
    dbl.unlink();
    expect(() => {
      dbl.unlink();
    }).toThrow(FileNotFoundError);
    dbl.close();

    expect(() => new SharedMemory({ name, create: true, size: 512 })).toThrow(FileExistsError);
    expect(() => new SharedMemory({ name, create: true, size: 512 })).toThrow(
      `[Errno 17] File exists: '${name}'`,
    );
    const okIfExists = new SharedMemory({ name, create: false });
    okIfExists.close();

    expect(() => new SharedMemory('test01_notthere')).toThrow(FileNotFoundError);
    expect(() => new SharedMemory('test01_notthere')).toThrow(
      "[Errno 2] No such file or directory: 'test01_notthere'",
    );
    sms.close();
    sms.unlink();
  });

  it('gives a fresh psm_ name when none is asked for, never one in use (test_shared_memory_recreate)', () => {
    const made = Array.from({ length: 50 }, () => new SharedMemory({ create: true, size: 8 }));
    for (const shm of made) expect(shm.name).toMatch(/^psm_[0-9a-f]{8}$/);
    expect(new Set(made.map((s) => s.name)).size).toBe(50);
    for (const shm of made) {
      shm.close();
      shm.unlink();
    }
  });

  it('keeps the segment after close() until unlink(), and the bytes for open handles after unlink()', () => {
    const name = fresh('keep');
    const a = new SharedMemory({ name, create: true, size: 16 });
    a.buf[3] = 7;
    a.close();
    a.close(); // idempotent
    expect(() => a.buf).toThrow(StateError);
    const b = new SharedMemory(name);
    expect(b.buf[3]).toBe(7);
    b.unlink();
    // Unlinked: the name is gone, b's bytes stay.
    expect(() => new SharedMemory(name)).toThrow(FileNotFoundError);
    b.buf[3] = 8;
    expect(b.buf[3]).toBe(8);
    // The name can be made again, as a new segment.
    const c = new SharedMemory({ name, create: true, size: 16 });
    expect(c.buf[3]).toBe(0);
    b.close();
    c.close();
    c.unlink();
  });

  it('closes at the end of a using scope', () => {
    const name = fresh('using');
    {
      using shm = new SharedMemory({ name, create: true, size: 8 });
      shm.buf[0] = 1;
      expect(() => shm.buf).not.toThrow();
    }
    const again = new SharedMemory(name);
    expect(again.buf[0]).toBe(1);
    again.close();
    again.unlink();
  });
});

describe('invalid SharedMemory arguments (test_invalid_shared_memory_creation)', () => {
  it('throws Python errors with Python messages', () => {
    expect(() => new SharedMemory({ create: true, size: -1 })).toThrow(
      new RangeError("'size' must be a positive integer"),
    );
    expect(() => new SharedMemory({ create: true, size: 0 })).toThrow(
      new RangeError("'size' must be a positive number different from zero"),
    );
    expect(() => new SharedMemory({ create: true })).toThrow(RangeError);
    expect(() => new SharedMemory({ create: false })).toThrow(
      new TypeError("'name' can only be None if create=True"),
    );
    expect(() => new SharedMemory({ create: true, size: 1.5 })).toThrow(TypeError);
    expect(() => new SharedMemory({ create: true, size: Infinity })).toThrow(TypeError);
    expect(() => new SharedMemory({ create: 'yes' as unknown as boolean, size: 8 })).toThrow(TypeError);
    expect(() => new SharedMemory({ name: 5 as unknown as string })).toThrow(TypeError);
    expect(() => new SharedMemory(null as unknown as string)).toThrow(TypeError);
    expect(() => new SharedMemory({ name: 'x'.repeat(225), create: true, size: 8 })).toThrow(
      /name must be at most 224 bytes/,
    );
  });

  it('refuses a segment past the 4 GiB of named memory, and loses nothing', () => {
    const keep = new SharedMemory({ create: true, size: 64 });
    keep.buf[0] = 9;
    expect(() => new SharedMemory({ create: true, size: 2 ** 32 })).toThrow(/limited to 4294967296 bytes/);
    expect(keep.buf[0]).toBe(9);
    keep.close();
    keep.unlink();
  });
});

describe("the process's named memory", () => {
  it('reuses the bytes of an unlinked, closed segment, zeroed', () => {
    const arena = processSharedMemory();
    const first = new SharedMemory({ create: true, size: 1 << 20 });
    first.buf.fill(0xab);
    const grown = arena.byteLength;
    first.close();
    first.unlink();
    const second = new SharedMemory({ create: true, size: 1 << 20 });
    expect(arena.byteLength).toBe(grown);
    expect(second.buf.every((b) => b === 0)).toBe(true);
    second.close();
    second.unlink();
  });

  it('does not grow when segments are made and unlinked in a loop', () => {
    const arena = processSharedMemory();
    const warm = new SharedMemory({ create: true, size: 100_000 });
    warm.close();
    warm.unlink();
    const before = arena.byteLength;
    for (let i = 0; i < 200; i++) {
      const shm = new SharedMemory({ create: true, size: 1000 + ((i * 997) % 90_000) });
      shm.buf[0] = 1;
      shm.close();
      shm.unlink();
    }
    expect(arena.byteLength).toBe(before);
  });

  it('keeps the bytes of a segment whose neighbours are freed', () => {
    const a = new SharedMemory({ create: true, size: 100 });
    const b = new SharedMemory({ create: true, size: 100 });
    const c = new SharedMemory({ create: true, size: 100 });
    b.buf.fill(5);
    a.close();
    a.unlink();
    c.close();
    c.unlink();
    const d = new SharedMemory({ create: true, size: 300 });
    d.buf.fill(6);
    expect(b.buf.every((x) => x === 5)).toBe(true);
    const again = new SharedMemory(b.name);
    expect(again.buf.every((x) => x === 5)).toBe(true);
    again.close();
    for (const s of [b, d]) {
      s.close();
      s.unlink();
    }
  });
});
