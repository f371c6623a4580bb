import { FrameBatch, eachFrame } from '../../src/internal/transport.js';

function frames(message: Uint8Array): string[] {
  const out: string[] = [];
  eachFrame(message, (frame) => {
    out.push(frame.toString('latin1'));
  });
  return out;
}

const bytes = (s: string): Uint8Array => Buffer.from(s, 'latin1');

describe('FrameBatch', () => {
  it('sends the frames of one synchronous run as one message, at the end of the run', async () => {
    const sent: string[][] = [];
    const batch = new FrameBatch((message) => {
      sent.push(frames(message));
    });
    batch.add(bytes('h1'), bytes('body one'));
    batch.add(bytes('h2'), bytes(''));
    batch.add(bytes(''), bytes('third'));
    expect(sent).toEqual([]);
    await Promise.resolve();
    expect(sent).toEqual([['h1body one', 'h2', 'third']]);
    batch.add(bytes('next'), bytes(' run'));
    await Promise.resolve();
    expect(sent).toEqual([['h1body one', 'h2', 'third'], ['next run']]);
  });

  it('grows for frames larger than its stage and keeps their bytes', async () => {
    const sent: string[][] = [];
    const batch = new FrameBatch((message) => {
      sent.push(frames(message));
    });
    const big = 'x'.repeat(100_000);
    batch.add(bytes('a'), bytes(big));
    batch.add(bytes('b'), bytes('small'));
    await Promise.resolve();
    expect(sent).toEqual([[`a${big}`, 'bsmall']]);
    batch.add(bytes('c'), bytes('after'));
    await Promise.resolve();
    expect(sent[1]).toEqual(['cafter']);
  });

  it('flush() sends at once, and the scheduled flush then sends nothing', async () => {
    const sent: string[][] = [];
    const batch = new FrameBatch((message) => {
      sent.push(frames(message));
    });
    batch.add(bytes('h'), bytes('now'));
    batch.flush();
    expect(sent).toEqual([['hnow']]);
    await Promise.resolve();
    expect(sent).toEqual([['hnow']]);
  });
});
