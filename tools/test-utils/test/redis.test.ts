// startRedis and describeWithRedis against the real redis-server.
import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  alive,
  describeWithRedis,
  redisCommands,
  RedisReplyError,
  redisServerPath,
  startRedis,
  withinSeconds,
  type RedisServer,
} from '../src/index.js';

describeWithRedis('startRedis', (redis) => {
  const started: RedisServer[] = [];

  async function start(password?: string): Promise<RedisServer> {
    const server = await startRedis(password === undefined ? {} : { password });
    started.push(server);
    return server;
  }

  afterEach(async () => {
    await Promise.all(started.splice(0).map((s) => s.stop()));
  });

  it('runs a server on 127.0.0.1 that answers PING, persistence off, in its own temp dir', async () => {
    const server = redis();
    expect(server.host).toBe('127.0.0.1');
    expect(server.url).toBe(`redis://127.0.0.1:${server.port}`);
    expect(server.password).toBeUndefined();
    expect(alive(server.pid)).toBe(true);
    expect(statSync(server.dir).isDirectory()).toBe(true);
    const replies = await redisCommands(server.port, [
      ['PING'],
      ['CONFIG', 'GET', 'save'],
      ['CONFIG', 'GET', 'appendonly'],
      ['CONFIG', 'GET', 'dir'],
      ['CONFIG', 'GET', 'bind'],
    ]);
    expect(replies).toEqual([
      'PONG',
      ['save', ''],
      ['appendonly', 'no'],
      ['dir', realpathSync(server.dir)],
      ['bind', '127.0.0.1'],
    ]);
  });

  it('requires the password it was given', async () => {
    const server = await start('s3cret-pass');
    expect(server.password).toBe('s3cret-pass');
    expect(server.url).toBe(`redis://:s3cret-pass@127.0.0.1:${server.port}`);
    const [denied] = await redisCommands(server.port, [['PING']]);
    expect(denied).toBeInstanceOf(RedisReplyError);
    expect((denied as RedisReplyError).message).toMatch(/^NOAUTH/);
    expect(await redisCommands(server.port, [['PING']], { password: 's3cret-pass' })).toEqual(['PONG']);
    await expect(redisCommands(server.port, [['PING']], { password: 'wrong' })).rejects.toThrow(
      /redis refused AUTH/,
    );
  });

  it('kill() ends the server at once: exited resolves with null and the port refuses', async () => {
    const server = await start();
    server.kill();
    expect(await withinSeconds(server.exited, 10, 'the killed server')).toBeNull();
    expect(alive(server.pid)).toBe(false);
    await expect(redisCommands(server.port, [['PING']])).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    server.kill(); // no-op once it has ended
    expect(existsSync(server.dir)).toBe(true);
    await server.stop();
    expect(existsSync(server.dir)).toBe(false);
  });

  it('stop() ends the server with SIGTERM (exit code 0), removes its dir, and is idempotent', async () => {
    const server = await start();
    await withinSeconds(server.stop(), 15, 'stop()');
    expect(await server.exited).toBe(0);
    expect(existsSync(server.dir)).toBe(false);
    await withinSeconds(server.stop(), 1, 'a second stop()');
  });

  it('starts again on another port when the one it was given is taken by the time it binds', async () => {
    const saved = process.env.REDIS_SERVER_PATH;
    process.env.REAL_REDIS_SERVER = redisServerPath();
    process.env.REDIS_SERVER_PATH = fileURLToPath(
      new URL('fixtures/busy-once-redis-server.sh', import.meta.url),
    );
    try {
      const server = await start();
      expect(await redisCommands(server.port, [['PING']])).toEqual(['PONG']);
      expect(readdirSync(server.dir)).toEqual([]);
    } finally {
      if (saved === undefined) delete process.env.REDIS_SERVER_PATH;
      else process.env.REDIS_SERVER_PATH = saved;
      delete process.env.REAL_REDIS_SERVER;
    }
  });

  it('gives two servers their own port and dir', async () => {
    const [a, b] = await Promise.all([start(), start()]);
    expect(a.port).not.toBe(b.port);
    expect(a.dir).not.toBe(b.dir);
    await redisCommands(a.port, [['SET', 'where', 'a']]);
    expect(await redisCommands(b.port, [['GET', 'where']])).toEqual([null]);
  });
});

describe('startRedis without a usable redis-server', () => {
  const saved = process.env.REDIS_SERVER_PATH;

  afterEach(() => {
    if (saved === undefined) delete process.env.REDIS_SERVER_PATH;
    else process.env.REDIS_SERVER_PATH = saved;
  });

  it('redisServerPath honours REDIS_SERVER_PATH, and is undefined when that is not an executable', () => {
    const found = redisServerPath();
    process.env.REDIS_SERVER_PATH = '/nonexistent/redis-server';
    expect(redisServerPath()).toBeUndefined();
    if (found !== undefined) {
      process.env.REDIS_SERVER_PATH = found;
      expect(redisServerPath()).toBe(found);
    }
  });

  it('rejects with the end of its output when the server exits before answering PING', async () => {
    process.env.REDIS_SERVER_PATH = '/bin/false';
    await expect(startRedis()).rejects.toThrow(
      /^redis-server exited \(code 1\) before answering PING on port \d+/,
    );
  });

  it('rejects, saying how to install it', async () => {
    process.env.REDIS_SERVER_PATH = '/nonexistent/redis-server';
    await expect(startRedis()).rejects.toThrow(
      'redis-server was not found (REDIS_SERVER_PATH=/nonexistent/redis-server is not an executable file). ' +
        'Install it with `sudo apt-get install -y redis-server`.',
    );
  });
});

describe('startRedis arguments', () => {
  it('names the bad argument', async () => {
    await expect(startRedis(null as unknown as object)).rejects.toThrow(TypeError);
    await expect(startRedis({ password: 7 as unknown as string })).rejects.toThrow(
      new TypeError('options.password must be a string'),
    );
    for (const password of ['', 'a b', 'tab\there']) {
      await expect(startRedis({ password })).rejects.toThrow(RangeError);
      await expect(startRedis({ password })).rejects.toThrow(/options.password/);
    }
  });

  it('describeWithRedis names the bad argument', () => {
    expect(() => {
      describeWithRedis(1 as unknown as string, () => undefined);
    }).toThrow(new TypeError('name must be a string'));
    expect(() => {
      describeWithRedis('x', 'tests' as unknown as () => void);
    }).toThrow(new TypeError('fn must be a function'));
  });
});
