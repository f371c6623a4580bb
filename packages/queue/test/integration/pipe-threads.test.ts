import { EOFError, Pipe } from '@multiprocessing/queue';
import { runScenario, terminateAll, within } from '../helpers.js';

afterEach(terminateAll);

describe('Pipe between threads', () => {
  it('echoes messages in both directions, with poll', async () => {
    const [parent, child] = Pipe();
    const worker = runScenario('pipeEcho', { conn: child });
    child.close(); // the worker holds its own handle, as in Python
    for (let i = 0; i < 1000; i++) {
      parent.send({ i, s: 'x'.repeat(i % 50) });
      expect(await within(parent.recv(), 10_000, 'recv')).toEqual({ i, s: 'x'.repeat(i % 50) });
    }
    parent.send('ping');
    expect(await within(parent.poll(null), 10_000, 'poll')).toBe(true);
    expect(await within(parent.recv(), 30_000, 'parent.recv()')).toBe('ping');
    parent.send('stop');
    expect(await worker.result).toBe(1001);
    // The worker closed its end: EOF after the drain.
    await expect(within(parent.recv(), 10_000, 'recv')).rejects.toThrow(EOFError);
  });

  it('ping-pongs 20 000 round trips between two workers blocking in recvSync, losing no wake-up', async () => {
    const [a, b] = Pipe();
    const echo = runScenario('pipeEcho', { conn: b }, 60_000);
    const ping = runScenario('pipePing', { conn: a, n: 20_000 }, 60_000);
    a.close();
    b.close();
    expect(await ping.result).toBe(20_000);
    expect(await echo.result).toBe(20_000);
  });

  it('moves a 50 MB message each way', async () => {
    const [parent, child] = Pipe();
    const worker = runScenario('pipeEchoBytes', { conn: child, n: 1 });
    const big = new Uint8Array(50 * 1024 * 1024);
    for (let i = 0; i < big.length; i += 4096) big[i] = (i >> 12) & 0xff;
    parent.sendBytes(big);
    const back = await within(parent.recvBytes(), 60_000, 'recvBytes');
    expect(back.length).toBe(big.length);
    expect(Buffer.compare(back, big)).toBe(0);
    expect(await worker.result).toBe(1);
  });

  it("flushes a worker's buffered output before the worker exits", async () => {
    const [parent, child] = Pipe();
    const size = 4 * 1024 * 1024;
    const worker = runScenario('sendBigAndExit', { conn: child, size });
    child.close();
    expect(await worker.result).toBe(size);
    const bytes = await within(parent.recvBytes(), 20_000, 'recvBytes');
    expect(bytes.length).toBe(size);
    expect(bytes[4096 * 3]).toBe(3);
    expect(await within(parent.recv(), 30_000, 'parent.recv()')).toBe('done');
    expect(await within(worker.exited, 20_000, 'exit')).toBe(0);
    await expect(within(parent.recv(), 10_000, 'recv')).rejects.toThrow(EOFError);
  });

  it('does not deadlock when the worker sends more than the ring holds and then blocks in recvSync', async () => {
    const [parent, child] = Pipe();
    const worker = runScenario('sendBigThenRecv', { conn: child, size: 1 << 20 });
    const bytes = await within(parent.recvBytes(), 20_000, 'recvBytes');
    expect(bytes.length).toBe(1 << 20);
    parent.send('reply');
    expect(await worker.result).toBe('reply');
  });

  it('gives EOF when a worker exits without closing its handle', async () => {
    const [parent, child] = Pipe();
    const worker = runScenario('sendAndExit', { conn: child, n: 3 });
    child.close();
    await within(worker.exited, 30_000, 'worker.exited');
    const got: unknown[] = [];
    await expect(
      within(
        (async () => {
          for (;;) got.push(await parent.recv());
        })(),
        10_000,
        'recv loop',
      ),
    ).rejects.toThrow(EOFError);
    expect(got).toEqual([0, 1, 2]);
  });

  it('works one-way with Pipe(false) across threads', async () => {
    const [reader, writer] = Pipe<number>(false);
    const worker = runScenario('sendAndExit', { conn: writer, n: 5 });
    writer.close();
    expect(await worker.result).toBe(5);
    const got: number[] = [];
    for (let i = 0; i < 5; i++) got.push(await within(reader.recv(), 30_000, 'reader.recv()'));
    expect(got).toEqual([0, 1, 2, 3, 4]);
  });
});
