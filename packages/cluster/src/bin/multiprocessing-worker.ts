#!/usr/bin/env node
/**
 * `multiprocessing-worker`: runs a worker host of a cluster until SIGTERM
 * or SIGINT, then stops taking work, finishes what it holds and exits. A
 * second signal stops it at once.
 *
 *   npx multiprocessing-worker --connection redis://host:6379 --name jobs --processes 8 --root ./
 */
import { parseArgs } from 'node:util';
import { serveCluster } from '../serve.js';

const usage = `Usage: multiprocessing-worker --connection <redis-url> [options]

Runs tasks of a @multiprocessing/cluster pool on this machine.

Options:
  --connection <url>     Redis URL: redis://[user:password@]host[:port][/db], rediss:// for TLS
                         (default: the REDIS_URL environment variable)
  --name <name>          the cluster's name (default: default)
  --prefix <prefix>      the prefix of its Redis keys (default: mp)
  --processes <n>        worker threads or processes (default: the number of CPUs)
  --root <dir>           the folder task modules are resolved against (default: .)
  --context <method>     thread or process (default: thread)
  --host-name <name>     this host's name in errors (default: <hostname>:<pid>)
  --lock-duration <s>    seconds without a lock renewal after which its jobs count as lost (default: 2)
  --help                 show this text
`;

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        connection: { type: 'string' },
        name: { type: 'string' },
        prefix: { type: 'string' },
        processes: { type: 'string' },
        root: { type: 'string' },
        context: { type: 'string' },
        'host-name': { type: 'string' },
        'lock-duration': { type: 'string' },
        help: { type: 'boolean' },
      },
      strict: true,
    }));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${usage}`);
    return 2;
  }
  if (values.help === true) {
    process.stdout.write(usage);
    return 0;
  }
  const fromEnv = process.env.REDIS_URL;
  const connection = values.connection ?? (fromEnv === '' ? undefined : fromEnv);
  if (connection === undefined) {
    process.stderr.write(`--connection is required (or set REDIS_URL)\n\n${usage}`);
    return 2;
  }
  const number = (value: string | undefined): number | undefined =>
    value === undefined ? undefined : Number(value);
  let host;
  try {
    host = await serveCluster({
      connection,
      ...(values.name === undefined ? {} : { name: values.name }),
      ...(values.prefix === undefined ? {} : { prefix: values.prefix }),
      ...(values.processes === undefined ? {} : { processes: number(values.processes) }),
      ...(values.root === undefined ? {} : { root: values.root }),
      ...(values.context === undefined ? {} : { context: values.context as 'thread' | 'process' }),
      ...(values['host-name'] === undefined ? {} : { hostName: values['host-name'] }),
      ...(values['lock-duration'] === undefined ? {} : { lockDuration: number(values['lock-duration']) }),
    });
  } catch (err) {
    process.stderr.write(`multiprocessing-worker: ${(err as Error).message}\n`);
    return 1;
  }
  let signals = 0;
  const stop = (): void => {
    signals++;
    if (signals === 1) void host.close();
    else void host.terminate();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdout.write(
    `multiprocessing-worker: host ${host.name} serves cluster '${values.name ?? 'default'}' with ${String(host.processes)} workers\n`,
  );
  await host.closed;
  process.stdout.write(`multiprocessing-worker: host ${host.name} stopped\n`);
  return 0;
}

process.exitCode = await main();
