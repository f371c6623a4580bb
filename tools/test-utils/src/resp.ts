/**
 * A tiny RESP2 client over `node:net`: one connection per call, a few
 * commands, their replies. Enough for a test to ask its redis-server
 * something (PING, CONFIG GET, SCAN, RPUSH) without a client library.
 */
import { connect } from 'node:net';

/** An error reply of the server (`-ERR …`, `-NOAUTH …`): returned in place of a value, not thrown. */
export class RedisReplyError extends Error {
  override readonly name = 'RedisReplyError';
}

/** One RESP2 reply: a simple or bulk string, an integer, nil, an array of replies, or an error reply. */
export type RedisReply = string | number | null | RedisReplyError | readonly RedisReply[];

/** Options of {@link redisCommands}. */
export interface RedisCommandsOptions {
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** Sent with AUTH before the commands; the call rejects when the server refuses it. */
  readonly password?: string;
  /** The connection is destroyed and the call rejects after this long. @default 5_000 */
  readonly timeoutMs?: number;
}

/** A command as RESP2 sends it: an array of bulk strings. */
function encode(command: readonly string[]): string {
  return `*${command.length}\r\n${command.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;
}

/** The reply that starts at `at` and where the next one starts, or undefined when `buf` does not hold all of it yet. */
function parse(buf: Buffer, at: number): [RedisReply, number] | undefined {
  const eol = buf.indexOf('\r\n', at);
  if (eol < 0) return undefined;
  const line = buf.toString('utf8', at + 1, eol);
  const next = eol + 2;
  switch (String.fromCharCode(buf[at] ?? 0)) {
    case '+':
      return [line, next];
    case '-':
      return [new RedisReplyError(line), next];
    case ':':
      return [Number(line), next];
    case '$': {
      const length = Number(line);
      if (length < 0) return [null, next];
      if (buf.length < next + length + 2) return undefined;
      return [buf.toString('utf8', next, next + length), next + length + 2];
    }
    case '*': {
      const count = Number(line);
      if (count < 0) return [null, next];
      const items: RedisReply[] = [];
      let pos = next;
      for (let i = 0; i < count; i++) {
        const item = parse(buf, pos);
        if (item === undefined) return undefined;
        items.push(item[0]);
        pos = item[1];
      }
      return [items, pos];
    }
    default:
      throw new Error(`not a RESP2 reply: ${JSON.stringify(buf.toString('utf8', at, eol))}`);
  }
}

function validate(port: unknown, commands: unknown, options: unknown): void {
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new RangeError(`port must be an integer from 1 to 65535, not ${String(port)}`);
  }
  const isCommand = (c: unknown): boolean =>
    Array.isArray(c) && c.length > 0 && c.every((a) => typeof a === 'string');
  if (!Array.isArray(commands) || commands.length === 0 || !commands.every(isCommand)) {
    throw new TypeError('commands must be a non-empty array of non-empty arrays of strings');
  }
  if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object');
  const { timeoutMs, password } = options as RedisCommandsOptions;
  if (timeoutMs !== undefined && (typeof timeoutMs !== 'number' || !(timeoutMs > 0))) {
    throw new RangeError(`options.timeoutMs must be a positive number, not ${String(timeoutMs)}`);
  }
  if (password !== undefined && typeof password !== 'string') {
    throw new TypeError('options.password must be a string');
  }
}

/**
 * Sends `commands` on one new connection to the redis server at `port` (after
 * AUTH when `options.password` is given) and resolves with their replies, in
 * order; error replies come back as {@link RedisReplyError} values. Rejects
 * when the connection fails (the error keeps its `code`, e.g. ECONNREFUSED),
 * closes before the last reply, AUTH is refused, or the whole exchange takes
 * longer than `options.timeoutMs`.
 */
export function redisCommands(
  port: number,
  commands: readonly (readonly string[])[],
  options: RedisCommandsOptions = {},
): Promise<RedisReply[]> {
  validate(port, commands, options);
  const { host = '127.0.0.1', password, timeoutMs = 5_000 } = options;
  const all = password === undefined ? commands : [['AUTH', password], ...commands];
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    let buf = Buffer.alloc(0);
    let at = 0;
    const replies: RedisReply[] = [];
    const fail = (err: Error): void => {
      clearTimeout(timer);
      socket.destroy();
      reject(err);
    };
    const timer = setTimeout(() => {
      fail(
        new Error(`redis at ${host}:${port} did not answer ${all.length} commands within ${timeoutMs} ms`),
      );
    }, timeoutMs);
    socket.on('error', fail);
    socket.on('close', () => {
      fail(new Error(`redis at ${host}:${port} closed the connection after ${replies.length} replies`));
    });
    socket.on('connect', () => {
      socket.write(all.map(encode).join(''));
    });
    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      try {
        for (let reply = parse(buf, at); reply !== undefined; reply = parse(buf, at)) {
          replies.push(reply[0]);
          at = reply[1];
        }
      } catch (err) {
        fail(err as Error);
        return;
      }
      if (replies.length < all.length) return;
      clearTimeout(timer);
      socket.removeAllListeners('close');
      socket.end();
      const auth = password === undefined ? undefined : replies.shift();
      if (auth instanceof RedisReplyError) reject(new Error(`redis refused AUTH: ${auth.message}`));
      else resolve(replies);
    });
  });
}
