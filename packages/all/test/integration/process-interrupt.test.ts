// Process#interrupt(), Python 3.14's SIGINT: a child with no SIGINT listener
// of its own ends with exit code 1 (KeyboardInterrupt); a child that listens
// decides itself. Under 'thread' the child gets the same 'SIGINT' event
// instead of a signal.
import { Event, getContext, Queue, type Process } from '@multiprocessing/all';
import { within } from '@multiprocessing/test-utils';
import { endTracked, fixture, track } from './children.js';
import type * as T from '../fixtures/interrupt/targets.mjs';

const WAIT_MS = 30_000;
const ref = fixture<typeof T>('interrupt/targets.mjs');

afterEach(endTracked);

describe.each(['thread', 'process'] as const)('Process#interrupt() under %s', (method) => {
  const { Process: P } = getContext(method);

  async function startWaiting(name: keyof typeof T): Promise<[Process, Queue<string>, Event]> {
    const status = new Queue<string>();
    const never = new Event();
    const p = new P({ target: ref(name), args: [status, never] });
    track(p);
    p.start();
    await expect(status.get({ timeout: WAIT_MS / 1000 })).resolves.toBe('ready');
    return [p, status, never];
  }

  it('ends a child with no SIGINT listener with exit code 1', async () => {
    const [p, status] = await startWaiting('waitForInterrupt');
    p.interrupt();
    await within(p.join(), WAIT_MS, 'join');
    expect(p.exitcode).toBe(1);
    expect(status.empty()).toBe(true);
  });

  it("lets a child's own SIGINT listener decide: it catches it and ends normally", async () => {
    const [p, status] = await startWaiting('handleInterrupt');
    p.interrupt();
    await expect(status.get({ timeout: WAIT_MS / 1000 })).resolves.toBe('caught SIGINT');
    await within(p.join(), WAIT_MS, 'join');
    expect(p.exitcode).toBe(0);
  });

  it('does nothing before start() and after the end', async () => {
    const status = new Queue<string>();
    const never = new Event();
    const p = new P({ target: ref('waitForInterrupt'), args: [status, never] });
    track(p);
    p.interrupt();
    expect(p.exitcode).toBeNull();
    p.start();
    await expect(status.get({ timeout: WAIT_MS / 1000 })).resolves.toBe('ready');
    never.set();
    await within(p.join(), WAIT_MS, 'join');
    expect(p.exitcode).toBe(0);
    p.interrupt();
    expect(p.exitcode).toBe(0);
    await expect(status.get({ timeout: WAIT_MS / 1000 })).resolves.toBe('not interrupted');
  });
});
