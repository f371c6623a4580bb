// Bad input gets a TypeError or RangeError naming the option, before any
// connection is made; and the URL and the redis options make the ioredis
// options (AUTH, TLS, db) the connections are opened with.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { runNode } from '@multiprocessing/test-utils';
import { connectCluster, serveCluster } from '../src/index.js';
import { redisOptions } from '../src/internal/connection.js';

const url = 'redis://127.0.0.1:1';
const bin = fileURLToPath(new URL('../dist/bin/multiprocessing-worker.js', import.meta.url));

describe('connectCluster arguments', () => {
  it.each([
    [undefined, undefined, TypeError, /url must be a redis:\/\/ or rediss:\/\/ URL, got undefined/],
    [
      'http://host',
      undefined,
      TypeError,
      /connection must be a redis:\/\/ or rediss:\/\/ URL, got 'http:\/\/host'/,
    ],
    ['not a url', undefined, TypeError, /redis:\/\/ or rediss:\/\/ URL/],
    [url, null, TypeError, /options must be an object, got null/],
    [url, { name: 'a:b' }, TypeError, /name must be a non-empty string without ':'/],
    [url, { name: '' }, TypeError, /name must be a non-empty string/],
    [url, { prefix: 3 }, TypeError, /prefix must be a non-empty string/],
    [url, { retries: -1 }, RangeError, /retries must be from 0 to 1000, got -1/],
    [url, { retries: 1.5 }, TypeError, /retries must be an integer, got 1.5/],
    [url, { connectionTimeout: 0 }, RangeError, /connectionTimeout must be a number of seconds above 0/],
    [
      url,
      { connectionTimeout: Infinity },
      RangeError,
      /connectionTimeout must be a number of seconds above 0/,
    ],
    [url, { connectionTimeout: 1e12 }, RangeError, /at most 2147483.647/],
    [url, { connectionTimeout: NaN }, RangeError, /connectionTimeout must be a number of seconds, got NaN/],
    [url, { lockDuration: '2' }, TypeError, /lockDuration must be a number of seconds/],
    [url, { root: 5 }, TypeError, /root must be a path or a file: URL/],
    [url, { redis: 'x' }, TypeError, /redis must be an object/],
  ])('connectCluster(%p, %p) throws %p', async (u, options, Cls, message) => {
    const call = connectCluster(u!, options as never);
    await expect(call).rejects.toBeInstanceOf(Cls);
    await expect(call).rejects.toThrow(message);
  });
});

describe('serveCluster arguments', () => {
  it.each([
    [{}, TypeError, /connection must be a redis:\/\/ or rediss:\/\/ URL, got undefined/],
    [{ connection: url, processes: 0 }, RangeError, /processes must be from 1 to 4096, got 0/],
    [{ connection: url, processes: Infinity }, TypeError, /processes must be an integer, got Infinity/],
    [{ connection: url, context: 'fork' }, TypeError, /context must be 'thread' or 'process', got "fork"/],
    [{ connection: url, hostName: '' }, TypeError, /hostName must be a non-empty string/],
    [{ connection: url, lockDuration: -1 }, RangeError, /lockDuration must be a number of seconds above 0/],
  ])('serveCluster(%p) throws %p', async (options, Cls, message) => {
    const call = serveCluster(options as never);
    await expect(call).rejects.toBeInstanceOf(Cls);
    await expect(call).rejects.toThrow(message);
  });
});

describe('redis options', () => {
  it('reads host, port, user, password, db and TLS from the URL', () => {
    expect(redisOptions('rediss://me:p%40ss@cache.example:6380/2', undefined)).toEqual({
      host: 'cache.example',
      port: 6380,
      username: 'me',
      password: 'p@ss',
      db: 2,
      tls: {},
    });
    expect(redisOptions('redis://[::1]', undefined)).toEqual({ host: '::1', port: 6379 });
  });

  it('lets the redis options win over the URL', () => {
    expect(redisOptions('redis://:a@h:1', { password: 'b', tls: { servername: 'h' } })).toEqual({
      host: 'h',
      port: 1,
      password: 'b',
      tls: { servername: 'h' },
    });
  });
});

describe('multiprocessing-worker', () => {
  it('prints its usage with --help and exits 0', async () => {
    const result = await runNode([bin, '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: multiprocessing-worker --connection <redis-url>');
  });

  it('exits 2 on an unknown option or without a connection, naming what is wrong', async () => {
    const unknown = await runNode([bin, '--bogus']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("Unknown option '--bogus'");
    const missing = await runNode([bin], { env: { REDIS_URL: '' } });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--connection is required');
  });

  it('exits 1 with the error of a bad value', async () => {
    const result = await runNode([bin, '--connection', url, '--processes', 'many']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('multiprocessing-worker: processes must be an integer, got NaN');
  });
});
