import type { Socket } from 'node:net';
import { FrameSocket, MAX_FRAME } from '../../src/internal/socket/frames.js';
import { closePair, socketPair, type SocketPair } from '@multiprocessing/test-utils';

describe('FrameSocket', () => {
  let pair: SocketPair;
  beforeEach(async () => {
    pair = await socketPair();
  });
  afterEach(() => {
    closePair(pair);
  });

  it('keeps message boundaries, coalesces writes and reassembles split frames', async () => {
    const tx = new FrameSocket(pair.a, MAX_FRAME);
    const rx = new FrameSocket(pair.b, MAX_FRAME);
    const got: Buffer[] = [];
    const big = Buffer.alloc(3 * 1024 * 1024, 7);
    const done = new Promise<void>((resolve) => {
      rx.onFrame = (f) => {
        got.push(Buffer.from(f));
        if (got.length === 4) resolve();
      };
    });
    let writes = 0;
    const write = pair.a.write.bind(pair.a);
    pair.a.write = ((...args: Parameters<Socket['write']>) => {
      writes++;
      return write(...args);
    }) as Socket['write'];
    tx.send(Buffer.from('a'));
    tx.send(Buffer.alloc(0));
    tx.sendFrame(Buffer.from('head:'), Buffer.from('body'));
    tx.send(big);
    await done;
    expect(writes).toBe(1);
    expect(got[0]?.toString()).toBe('a');
    expect(got[1]?.length).toBe(0);
    expect(got[2]?.toString()).toBe('head:body');
    expect(got[3]?.equals(big)).toBe(true);
  });

  it('writes the frames of one synchronous run once, when its microtasks run', async () => {
    const tx = new FrameSocket(pair.a, MAX_FRAME);
    const writes: Buffer[] = [];
    pair.a.write = (chunk: Buffer) => {
      writes.push(Buffer.from(chunk));
      return true;
    };
    tx.send(Buffer.from('a'));
    const off = tx.beginFrame(3);
    tx.staged.write('bcd', off);
    expect(writes).toHaveLength(0);
    await Promise.resolve();
    expect(writes.map((w) => w.toString('hex'))).toEqual(['00000001' + '61' + '00000003' + '626364']);
  });

  it('parses frames from chunks cut anywhere, several frames to a chunk', () => {
    const rx = new FrameSocket(pair.b, MAX_FRAME);
    const bodies = ['', 'a', 'hello', 'x'.repeat(300), '', 'tail'].map((t) => Buffer.from(t));
    const wire = Buffer.concat(
      bodies.flatMap((b) => {
        const head = Buffer.alloc(4);
        head.writeUInt32BE(b.length);
        return [head, b];
      }),
    );
    // Every way of cutting the stream into three chunks delivers the same frames.
    for (let i = 0; i <= wire.length; i += 3) {
      for (let j = i; j <= wire.length; j += 7) {
        const got: string[] = [];
        rx.onFrame = (f) => {
          got.push(f.toString());
        };
        pair.b.emit('data', wire.subarray(0, i));
        pair.b.emit('data', wire.subarray(i, j));
        pair.b.emit('data', wire.subarray(j));
        expect(got).toEqual(bodies.map((b) => b.toString()));
      }
    }
  });

  it('closes the connection on a frame over its limit', async () => {
    const rx = new FrameSocket(pair.b, 256);
    const closed = new Promise<Error | undefined>((resolve) => {
      rx.onClose = resolve;
    });
    const header = Buffer.alloc(4);
    header.writeUInt32BE(257);
    pair.a.write(header);
    const err = await closed;
    expect(err?.message).toMatch(/over the limit of 256 bytes/);
  });
});
