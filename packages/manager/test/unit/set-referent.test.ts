// The managed set's semantics, as Python's set: hash equality of numbers,
// unhashable objects refused, and Python's messages.
import { SetReferent } from '../../src/internal/set-referent.js';

describe('SetReferent', () => {
  it('adds, discards, removes and pops with Python’s messages', () => {
    const s = new SetReferent([1, 2, 2, 3]);
    expect(s.length()).toBe(3);
    s.add(4);
    s.add(4);
    s.discard(99);
    s.discard(1);
    expect(s.has(1)).toBe(false);
    expect(s.toArray()).toEqual([2, 3, 4]);
    s.remove(2);
    expect(() => {
      s.remove(2);
    }).toThrow(new RangeError('2 is not in set'));
    expect(() => {
      s.remove('x');
    }).toThrow(new RangeError("'x' is not in set"));
    expect([s.pop(), s.pop()].sort()).toEqual([3, 4]);
    expect(() => s.pop()).toThrow(new RangeError('pop from an empty set'));
    s.add('a');
    s.clear();
    expect(s.length()).toBe(0);
  });

  it('keeps equal numbers as one element, the first added, as Python hashes 1, 1.0 and True alike', () => {
    const s = new SetReferent();
    s.add(1);
    s.add(1n);
    s.add(true);
    s.add(0);
    s.add(false);
    s.add(null);
    s.add(undefined);
    s.add('1');
    expect(s.toArray()).toEqual([1, 0, null, '1']);
    expect(s.has(1n)).toBe(true);
    expect(s.has(undefined)).toBe(true);
    const big = 2n ** 64n;
    s.add(big);
    expect(s.has(2n ** 64n)).toBe(true);
  });

  it('refuses objects with Python’s unhashable TypeError', () => {
    const s = new SetReferent();
    expect(() => {
      s.add([1]);
    }).toThrow(new TypeError("unhashable type: 'list'"));
    expect(() => {
      s.add({ a: 1 });
    }).toThrow(new TypeError("unhashable type: 'dict'"));
    expect(() => new SetReferent([new Set([1])])).toThrow(new TypeError("unhashable type: 'set'"));
    expect(() => {
      s.update(5);
    }).toThrow(TypeError);
    expect(s.length()).toBe(0);
  });

  it('makes new sets with union, intersection, difference and symmetricDifference', () => {
    const s = new SetReferent([1, 2, 3]);
    expect(s.union([3, 4], new Set([5]))).toEqual(new Set([1, 2, 3, 4, 5]));
    expect(s.intersection([2, 3, 4], [3, 2])).toEqual(new Set([2, 3]));
    expect(s.difference([1], [3])).toEqual(new Set([2]));
    expect(s.symmetricDifference([3, 4])).toEqual(new Set([1, 2, 4]));
    // The set itself is unchanged.
    expect(s.toArray()).toEqual([1, 2, 3]);
    const copy = s.copy();
    copy.add(9);
    expect(s.has(9)).toBe(false);
  });

  it('changes in place with the …Update forms, and answers the subset tests', () => {
    const s = new SetReferent([1, 2, 3]);
    s.update([4], 'ab');
    expect(s.toArray()).toEqual([1, 2, 3, 4, 'a', 'b']);
    s.differenceUpdate(['a', 'b'], [4]);
    s.intersectionUpdate([1, 2, 5]);
    expect(s.toArray()).toEqual([1, 2]);
    s.symmetricDifferenceUpdate([2, 3]);
    expect(s.toArray()).toEqual([1, 3]);
    expect(s.isSubsetOf([1, 2, 3])).toBe(true);
    expect(s.isSubsetOf([1])).toBe(false);
    expect(s.isSupersetOf([3])).toBe(true);
    expect(s.isSupersetOf([3, 4])).toBe(false);
    expect(s.isDisjointFrom([4, 5])).toBe(true);
    expect(s.isDisjointFrom([3])).toBe(false);
  });
});
