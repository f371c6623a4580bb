import { EOFError, Pipe, type Connection } from '@multiprocessing/queue';
import { Process, moduleRef } from '@multiprocessing/process';
import { within } from '../helpers.js';
import type * as PipeTasks from '../fixtures/pipe-tasks.mjs';

const tasks = moduleRef<typeof PipeTasks>(new URL('../fixtures/pipe-tasks.mjs', import.meta.url));
const MB = 1 << 20;
const live: Process[] = [];

afterEach(async () => {
  const ending = live.splice(0);
  for (const p of ending) if (p.isAlive()) p.kill();
  await Promise.all(ending.map((p) => within(p.exited, 10_000, 'child exit')));
});

function start(target: unknown, args: unknown[]): Process {
  const p = new Process({ target: target as never, args: args as never });
  live.push(p);
  p.start();
  return p;
}

function expectPattern(bytes: Uint8Array, size: number, k: number): void {
  expect(bytes.length).toBe(size);
  for (let i = 0; i < size; i += 4096) {
    if (bytes[i] !== ((i / 4096 + k) & 0xff)) throw new Error(`byte ${i} of message ${k} is ${bytes[i]}`);
  }
}

async function expectEof(conn: Connection): Promise<void> {
  await expect(within(conn.recv(), 10_000, 'recv after the last message')).rejects.toThrow(EOFError);
}

describe('a Pipe message bigger than the ring survives the sending thread ending', () => {
  it('a Process target that sends 1 MB and returns', async () => {
    const [parent, child] = Pipe();
    const p = start(tasks.sendBig, [child, MB]);
    child.close();
    expectPattern(await within(parent.recvBytes(), 20_000, 'recvBytes'), MB, 0);
    expect(await within(p.exited, 20_000, 'exit')).toBe(0);
    await expectEof(parent);
  });

  it('a Process target that sends several large messages and returns', async () => {
    const [parent, child] = Pipe();
    const p = start(tasks.sendMany, [child, 5, MB]);
    child.close();
    for (let k = 0; k < 5; k++) {
      expectPattern(await within(parent.recvBytes(), 20_000, `message ${k}`), MB, k);
    }
    expect(await within(parent.recv(), 20_000, 'last message')).toEqual({ done: 5 });
    expect(await within(p.exited, 20_000, 'exit')).toBe(0);
    await expectEof(parent);
  });

  it('a target that calls process.exit() right after send', async () => {
    const [parent, child] = Pipe();
    const p = start(tasks.sendBigThenExit, [child, MB]);
    child.close();
    expectPattern(await within(parent.recvBytes(), 20_000, 'recvBytes'), MB, 0);
    expect(await within(p.exited, 20_000, 'exit')).toBe(0);
    await expectEof(parent);
  });

  it('a one-way pipe carries 3 MB from a child that returns', async () => {
    const [reader, writer] = Pipe(false);
    const p = start(tasks.sendBig, [writer, 3 * MB]);
    writer.close();
    // Nothing is read until the child is gone: it waits in its exit for the reader.
    expect(await within(reader.poll(null), 20_000, 'poll')).toBe(true);
    expectPattern(await within(reader.recvBytes(), 20_000, 'recvBytes'), 3 * MB, 0);
    expect(await within(p.exited, 20_000, 'exit')).toBe(0);
    await expectEof(reader);
  });

  it('drops the output when nobody else can read it, and the thread still ends', async () => {
    const p = start(tasks.sendToSelf, [MB]);
    expect(await within(p.exited, 20_000, 'exit')).toBe(0);
  });

  it('two children each ending with a big unread message for the other both end', async () => {
    const [a, b] = Pipe();
    const pa = start(tasks.sendBigAndReturn, [a, MB]);
    const pb = start(tasks.sendBigAndReturn, [b, MB]);
    a.close();
    b.close();
    expect(await within(pa.exited, 20_000, 'exit a')).toBe(0);
    expect(await within(pb.exited, 20_000, 'exit b')).toBe(0);
  });

  it('the reader closing its end lets a blocked sender end', async () => {
    const [parent, child] = Pipe();
    const p = start(tasks.sendBig, [child, 4 * MB]);
    child.close();
    // Read one chunk's worth so the child is surely sending, then close.
    expect(await within(parent.poll(null), 20_000, 'poll')).toBe(true);
    parent.close();
    expect(await within(p.exited, 20_000, 'exit')).toBe(0);
  });
});
