// An Array('c') changed by a child, under both start methods: the string
// part of CPython's test_sharedctypes.
import { getContext, SharedArray } from '@multiprocessing/all';
import { within } from '@multiprocessing/test-utils';
import { endTracked, fixture, track } from './children.js';
import type * as T from '../fixtures/char-array/targets.mjs';

const ref = fixture<typeof T>('char-array/targets.mjs');

afterEach(endTracked);

describe.each(['thread', 'process'] as const)("an Array('c') in a child started by %s", (method) => {
  it('has its value doubled by the child (string.value *= 2)', async () => {
    const string = new SharedArray('c', 20);
    string.value = new TextEncoder().encode('hello');
    const { Process } = getContext(method);
    const p = track(new Process({ target: ref('doubleString'), args: [string] }));
    p.start();
    await within(p.exited, 30_000, 'the child ending');
    expect(p.exitcode).toBe(0);
    expect(new TextDecoder().decode(string.value)).toBe('hellohello');
    expect(string.raw).toHaveLength(20);
  });
});
