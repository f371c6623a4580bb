import { availableParallelism } from 'node:os';
import {
  activeChildren,
  cpuCount,
  currentProcess,
  isMainProcess,
  parentProcess,
} from '../../src/current-process.js';

describe('parity: multiprocessing.current_process / parent_process', () => {
  it('describes the main program as MainProcess with a 32-byte authkey', () => {
    const me = currentProcess();
    expect(me).toMatchObject({ name: 'MainProcess', pid: process.pid, daemon: false });
    expect(me.authkey).toHaveLength(32);
    expect(currentProcess().authkey).toBe(me.authkey);
    expect(parentProcess()).toBeNull();
    expect(isMainProcess()).toBe(true);
    expect(activeChildren()).toEqual([]);
  });

  it('counts CPUs', () => {
    expect(cpuCount()).toBe(availableParallelism());
  });
});
