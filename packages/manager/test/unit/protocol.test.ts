import { FrameSocket, MAX_FRAME } from '@multiprocessing/process/internal';
import { Op, Status, parseRequest, sendRequest, sendResponse } from '../../src/internal/protocol.js';
import { closePair, socketPair, type SocketPair } from '@multiprocessing/test-utils';

/** Resolves to the next `n` frames `rx` receives (copies). */
function receive(rx: FrameSocket, n: number): Promise<Buffer[]> {
  const got: Buffer[] = [];
  return new Promise((resolve) => {
    rx.onFrame = (f) => {
      got.push(Buffer.from(f));
      if (got.length === n) resolve(got);
    };
  });
}

describe('manager protocol', () => {
  let pair: SocketPair;
  beforeEach(async () => {
    pair = await socketPair();
  });
  afterEach(() => {
    closePair(pair);
  });

  it('sends requests that parse back to their fields, a repeated name being one string', async () => {
    const tx = new FrameSocket(pair.a, MAX_FRAME);
    const rx = new FrameSocket(pair.b, MAX_FRAME);
    const names = ['get', 'get', 'set', 'sét', 'gex', 'x'.repeat(100), 'x'.repeat(100), ''];
    const got = receive(rx, names.length);
    names.forEach((name, i) => {
      sendRequest(tx, 1000 + i, Op.call, 7 + i, name, Buffer.from([0x91, i]));
    });
    const parsed = (await got).map((f) => parseRequest(f));
    parsed.forEach((req, i) => {
      expect(req).toBeDefined();
      expect([req?.id, req?.op, req?.objectId, req?.name]).toEqual([1000 + i, Op.call, 7 + i, names[i]]);
      expect(req?.frame.subarray(req.argsStart)).toEqual(Buffer.from([0x91, i]));
    });
    expect(parseRequest(Buffer.alloc(5))).toBeUndefined();
  });

  it('sends responses as [id][status][body]', async () => {
    const tx = new FrameSocket(pair.a, MAX_FRAME);
    const rx = new FrameSocket(pair.b, MAX_FRAME);
    const got = receive(rx, 2);
    sendResponse(tx, 0xfffffffe, Status.error, Buffer.from('ab'));
    sendResponse(tx, 3, Status.value, Buffer.alloc(0));
    expect((await got).map((f) => f.toString('hex'))).toEqual(['fffffffe01' + '6162', '0000000300']);
  });
});
