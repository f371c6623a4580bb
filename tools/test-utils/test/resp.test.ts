// The RESP2 client against a stand-in server that answers with set bytes, cut
// into pieces, so replies are parsed across chunk boundaries.
import { once } from 'node:events';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { redisCommands, RedisReplyError } from '../src/index.js';

const sockets = new Set<Socket>();
/** What the last stand-in server read. */
let received = '';

/** A server that, once it has read `expectBytes` bytes, writes `pieces` one per write and keeps the connection. */
async function standIn(expectBytes: number, pieces: readonly string[]): Promise<Server> {
  received = '';
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('data', (chunk: Buffer) => {
      const before = received.length;
      received += chunk.toString();
      if (before >= expectBytes || received.length < expectBytes) return;
      const next = (i: number): void => {
        if (i < pieces.length) socket.write(pieces[i]!, () => setImmediate(next, i + 1));
      };
      next(0);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server;
}

function portOf(server: Server): number {
  return (server.address() as AddressInfo).port;
}

describe('redisCommands', () => {
  let server: Server | undefined;

  afterEach(async () => {
    if (server === undefined) return;
    for (const s of sockets) s.destroy();
    server.close();
    await once(server, 'close');
    server = undefined;
  });

  it('sends each command as an array of bulk strings and reads every kind of reply', async () => {
    const sent = '*1\r\n$4\r\nPING\r\n*3\r\n$4\r\nMGET\r\n$1\r\na\r\n$1\r\nb\r\n';
    server = await standIn(sent.length, [
      '+PO',
      'NG\r\n*4\r\n$4\r\nx\r\ny\r\n$-1\r\n:4',
      '2\r\n*1\r\n+nested\r\n',
    ]);
    const replies = await redisCommands(portOf(server), [['PING'], ['MGET', 'a', 'b']]);
    expect(replies).toEqual(['PONG', ['x\r\ny', null, 42, ['nested']]]);
    expect(received).toBe(sent);
  });

  it('returns an error reply as a RedisReplyError value', async () => {
    server = await standIn(1, ['-ERR unknown command\r\n']);
    const [reply] = await redisCommands(portOf(server), [['NOPE']]);
    expect(reply).toBeInstanceOf(RedisReplyError);
    expect((reply as RedisReplyError).message).toBe('ERR unknown command');
  });

  it('sends AUTH first when given a password, and rejects when it is refused', async () => {
    server = await standIn(1, ['-WRONGPASS invalid password\r\n+PONG\r\n']);
    await expect(redisCommands(portOf(server), [['PING']], { password: 'x' })).rejects.toThrow(
      'redis refused AUTH: WRONGPASS invalid password',
    );
    expect(received).toBe('*2\r\n$4\r\nAUTH\r\n$1\r\nx\r\n*1\r\n$4\r\nPING\r\n');
  });

  it('rejects when the server sends something that is not RESP2', async () => {
    server = await standIn(1, ['hello\r\n']);
    await expect(redisCommands(portOf(server), [['PING']])).rejects.toThrow(/not a RESP2 reply: "hello"/);
  });

  it('rejects once timeoutMs has passed without every reply', async () => {
    server = await standIn(1, ['+PONG\r\n']);
    await expect(redisCommands(portOf(server), [['PING'], ['PING']], { timeoutMs: 200 })).rejects.toThrow(
      /did not answer 2 commands within 200 ms/,
    );
  });

  it('rejects with the socket error when nothing listens', async () => {
    const probe = createServer().listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const port = portOf(probe);
    probe.close();
    await once(probe, 'close');
    await expect(redisCommands(port, [['PING']])).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('names the bad argument', () => {
    expect(() => redisCommands(0, [['PING']])).toThrow(RangeError);
    expect(() => redisCommands(0, [['PING']])).toThrow(/port/);
    expect(() => redisCommands(6379, [])).toThrow(TypeError);
    expect(() => redisCommands(6379, [[]])).toThrow(/commands/);
    expect(() => redisCommands(6379, [['PING']], { timeoutMs: 0 })).toThrow(/options.timeoutMs/);
    expect(() => redisCommands(6379, [['PING']], { password: 1 as unknown as string })).toThrow(TypeError);
  });
});
