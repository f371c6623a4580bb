// ShareableList in one thread: CPython's test_shared_memory_ShareableList_basics
// adapted (Python's IndexError and ValueError are RangeError here).
import { FileNotFoundError, ShareableList, SharedMemory } from '@multiprocessing/value-lock';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('ShareableList basics (test_shared_memory_ShareableList_basics)', () => {
  it('indexes, formats, counts, changes types within a slot and refuses what does not fit', () => {
    const sl = new ShareableList(['howdy', enc('HoWdY'), -273.154, 100, null, true, 42]);
    try {
      expect(String(sl)).toContain(sl.shm.name);
      expect(String(sl)).toBe(
        `ShareableList(['howdy', b'HoWdY', -273.154, 100, None, True, 42], name='${sl.shm.name}')`,
      );
      expect(() => sl[7]).toThrow(RangeError);
      expect(() => {
        sl[7] = 2;
      }).toThrow('assignment index out of range');

      sl[0] = 'howdy';
      expect(sl.format).toBe('8s8sdqxxxxxx?xxxxxxxx?q');
      expect(sl.length).toBe(7);

      expect(() => sl.index('100')).toThrow(new RangeError("'100' not in this container"));
      expect(sl.index(100)).toBe(3);
      expect(sl[0]).toBe('howdy');
      expect(sl[-2]).toBe(true);
      expect([...sl]).toEqual(['howdy', enc('HoWdY'), -273.154, 100, null, true, 42]);

      sl[3] = 42;
      expect(sl[3]).toBe(42);
      sl[4] = 'some'; // a new type in the same slot
      expect(sl[4]).toBe('some');
      expect(sl.format).toBe('8s8sdq8sxxxxxxx?q');
      expect(() => {
        sl[4] = 'far too many';
      }).toThrow(/exceeds available storage/);
      expect(sl[4]).toBe('some');
      sl[0] = 'encodés'; // exactly 8 bytes of UTF-8
      expect(sl[0]).toBe('encodés');
      expect(sl[1]).toEqual(enc('HoWdY')); // no spill into the next slot
      expect(() => {
        sl[0] = 'encodées'; // 9 bytes
      }).toThrow(/exceeds available storage/);
      expect(sl[1]).toEqual(enc('HoWdY'));
      expect(() => {
        sl[1] = enc('123456789');
      }).toThrow(/exceeds available storage/);
      expect(sl[1]).toEqual(enc('HoWdY'));

      expect(sl.count(42)).toBe(2);
      expect(sl.count(enc('HoWdY'))).toBe(1);
      expect(sl.count(enc('adios'))).toBe(0);

      // A copy under a new name is independent. (Slots are sized by UTF-8
      // length, so 'encodés', 8 bytes, would get 16 in the copy.)
      sl[0] = 'howdy';
      const nameDuplicate = `test03_duplicate_${String(process.pid)}`;
      const slCopy = new ShareableList(sl, { name: nameDuplicate });
      try {
        expect(slCopy.shm.name).toBe(nameDuplicate);
        expect([...slCopy]).toEqual([...sl]);
        expect(slCopy.format).toBe(sl.format);
        slCopy[-1] = 77;
        expect(slCopy[-1]).toBe(77);
        expect(sl[-1]).not.toBe(77);
        slCopy.shm.close();
      } finally {
        slCopy.shm.unlink();
      }

      // A second handle on the same list.
      const tethered = new ShareableList(null, { name: sl.shm.name });
      expect(tethered.shm.name).toBe(sl.shm.name);
      tethered[-1] = 880;
      expect(sl[-1]).toBe(880);
      tethered.shm.close();
      sl.shm.close();
    } finally {
      sl.shm.unlink();
    }

    const empty = new ShareableList();
    try {
      expect(empty.length).toBe(0);
      expect(empty.format).toBe('');
      expect(empty.count('any')).toBe(0);
      expect(() => empty.index(null)).toThrow(new RangeError('None not in this container'));
      empty.shm.close();
    } finally {
      empty.shm.unlink();
    }
  });

  it('holds bigints, -0, large numbers and nulls as they were, and iterates a string as characters', () => {
    const sl = new ShareableList([2n ** 63n - 1n, -0, 2 ** 60, 0.5, undefined as unknown as null]);
    expect(sl[0]).toBe(2n ** 63n - 1n);
    expect(Object.is(sl[1], -0)).toBe(true);
    expect(sl[2]).toBe(2 ** 60);
    expect(sl[3]).toBe(0.5);
    expect(sl[4]).toBeNull();
    expect(sl.format).toBe('qddd' + 'xxxxxx?x');
    expect(0 in sl).toBe(true);
    expect(5 in sl).toBe(false);
    expect(sl.toArray()).toHaveLength(5);
    sl.shm.close();
    sl.shm.unlink();
    const chars = new ShareableList('howdy');
    expect(chars.toArray()).toEqual(['h', 'o', 'w', 'd', 'y']);
    chars.shm.close();
    chars.shm.unlink();
  });

  it('refuses values it cannot hold, and keeps the old value', () => {
    expect(() => new ShareableList([{}] as unknown as null[])).toThrow(
      'sequence[0] must be a number, bigint, boolean, string, Uint8Array or null, got Object',
    );
    expect(() => new ShareableList([2n ** 63n])).toThrow(RangeError);
    expect(() => new ShareableList(5 as unknown as null)).toThrow(TypeError);
    expect(() => new ShareableList(null, { name: 7 as unknown as string })).toThrow(TypeError);
    const sl = new ShareableList([1]);
    expect(() => {
      sl[0] = [1] as unknown as number;
    }).toThrow(TypeError);
    expect(sl[0]).toBe(1);
    sl.shm.close();
    sl.shm.unlink();
    expect(() => new ShareableList(null, { name: sl.shm.name })).toThrow(FileNotFoundError);
  });

  it('throws once its segment is closed instead of reading freed memory', () => {
    const sl = new ShareableList([1, 2]);
    sl.shm.close();
    sl.shm.unlink();
    expect(() => sl[0]).toThrow('SharedMemory is closed');
    expect(sl.shm).toBeInstanceOf(SharedMemory);
  });
});
