import { Deque } from '../../src/internal/deque.js';

describe('Deque', () => {
  it('is a FIFO with unshift, remove and drain', () => {
    const d = new Deque<number>();
    for (let i = 0; i < 5000; i++) d.push(i);
    for (let i = 0; i < 3000; i++) expect(d.shift()).toBe(i);
    expect(d.length).toBe(2000);
    d.unshift(-1);
    expect(d.peek()).toBe(-1);
    expect(d.remove(4000)).toBe(true);
    expect(d.remove(123_456)).toBe(false);
    const rest = d.drain();
    expect(rest[0]).toBe(-1);
    expect(rest.length).toBe(2000);
    expect(rest.includes(4000)).toBe(false);
    expect(d.length).toBe(0);
    expect(d.shift()).toBeUndefined();
  });

  it('iterates in order', () => {
    const d = new Deque<string>();
    d.push('a');
    d.push('b');
    d.shift();
    d.push('c');
    expect([...d]).toEqual(['b', 'c']);
  });
});
