/**
 * Shareables made after a thread started still reach it through a queue:
 * the child learns buffers made later from its starter's relay, and a
 * grandchild from its parent's, even when the broadcast went out before the
 * child listened.
 */
import { Process, moduleRef } from '@multiprocessing/process';
import { Queue } from '@multiprocessing/queue';
import { Lock, Value } from '@multiprocessing/value-lock';
import { within } from '../helpers.js';

interface LateTasks {
  useLateShareables(inbox: Queue, outbox: Queue<string>): Promise<void>;
  startGrandchild(inbox: Queue, outbox: Queue<string>): Promise<void>;
}
const tasks = moduleRef<LateTasks>(new URL('../fixtures/late-tasks.mjs', import.meta.url));

const started: Process[] = [];
afterEach(async () => {
  for (const p of started.splice(0)) {
    if (p.isAlive()) p.terminate();
    await p.join(10);
  }
});

async function sendLateShareables(inbox: Queue, outbox: Queue<string>): Promise<void> {
  const value = new Value('i', 10);
  const lock = new Lock();
  const inner = new Queue<string>();
  await within(inbox.put({ value, lock, inner }), 30_000, 'inbox.put({ value, lock, inner })');
  expect(await outbox.get({ timeout: 30 })).toBe('value 11 lock true');
  expect(await inner.get({ timeout: 30 })).toBe('from the child');
  expect(value.value).toBe(11);
}

describe('shareables made after a thread started', () => {
  it('reach a child through a queue', async () => {
    const inbox = new Queue();
    const outbox = new Queue<string>();
    const child = new Process({ target: tasks.useLateShareables, args: [inbox, outbox] });
    started.push(child);
    child.start();
    // Made now, while the child is still starting.
    await sendLateShareables(inbox, outbox);
    await child.join(30);
    expect(child.exitcode).toBe(0);
  });

  it('reach a grandchild through a queue', async () => {
    const inbox = new Queue();
    const outbox = new Queue<string>();
    const child = new Process({ target: tasks.startGrandchild, args: [inbox, outbox] });
    started.push(child);
    child.start();
    expect(await outbox.get({ timeout: 30 })).toBe('grandchild started');
    await sendLateShareables(inbox, outbox);
    await child.join(30);
    expect(child.exitcode).toBe(0);
  });
});
