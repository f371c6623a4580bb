import { inspect } from 'node:util';
import { Condition, Event, Lock, RLock } from '@multiprocessing/value-lock';
import { start, terminateAll } from '../helpers.js';

afterEach(terminateAll);

describe('repr: a lock held by another thread', () => {
  it.each([
    ['Lock', () => new Lock(), '<Lock(owner=SomeOtherProcess)>'],
    ['RLock', () => new RLock(), '<RLock(SomeOtherProcess, nonzero)>'],
  ])('%s held in a worker prints SomeOtherProcess', async (_name, make, text) => {
    const lock = make();
    const held = new Event();
    const release = new Event();
    const w = start('hold', { lock, held, release });
    expect(await held.wait(20)).toBe(true);
    expect(inspect(lock)).toBe(text);
    expect(String(lock)).toBe(text);
    const cond = new Condition(lock);
    expect(inspect(cond)).toBe(`<Condition(${text}, 0)>`);
    release.set();
    expect(await w.next()).toEqual({ done: true });
    expect(String(lock)).toBe(lock instanceof RLock ? '<RLock(None, 0)>' : '<Lock(owner=None)>');
  });
});
