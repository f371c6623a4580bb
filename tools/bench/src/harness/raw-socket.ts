/**
 * The floor of a socket round trip in Node: a client in this process and a
 * plain socket server in a child process (fixtures/raw-socket-echo.mjs)
 * exchanging one small length-prefixed frame each way, with the framing of
 * the manager's protocol and none of its encoding or dispatch.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const fixture = new URL('../../fixtures/raw-socket-echo.mjs', import.meta.url);

/** A connected raw ping-pong: `roundTrip()` sends one frame and resolves on its reply. */
export interface RawPingPong {
  roundTrip(): Promise<void>;
  close(): Promise<void>;
}

/** Starts the echo server in a child process ('unix': a socket path; 'tcp': 127.0.0.1) and connects. */
export async function rawPingPong(kind: 'unix' | 'tcp'): Promise<RawPingPong> {
  const path =
    kind === 'unix' ? join(tmpdir(), `mp-bench-raw-${randomBytes(4).toString('hex')}.sock`) : 'tcp';
  const child: ChildProcess = fork(fixture, [path], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const address = await new Promise<string | { host: string; port: number }>((resolve, reject) => {
    child.once('message', (m) => {
      resolve(m as string | { host: string; port: number });
    });
    child.once('exit', (code) => {
      reject(new Error(`the raw socket server exited with code ${String(code)}`));
    });
  });
  const socket: Socket =
    typeof address === 'string'
      ? connect({ path: address })
      : connect({ host: address.host, port: address.port });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  socket.setNoDelay(true);
  // A request of a manager dict.get('k'): [len][id][op][object id][name length]["get"][args ["k"]].
  const request = Buffer.from(
    '00000011' + '00000001' + '01' + '00000001' + '0003' + '676574' + '91a16b',
    'hex',
  );
  let waiting: (() => void) | undefined;
  let pending: Buffer = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    const buf = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    let off = 0;
    while (buf.length - off >= 4) {
      const len = buf.readUInt32BE(off);
      if (buf.length - off - 4 < len) break;
      off += 4 + len;
      const w = waiting;
      waiting = undefined;
      w?.();
    }
    pending = buf.subarray(off);
  });
  return {
    roundTrip: () =>
      new Promise<void>((resolve) => {
        waiting = resolve;
        socket.write(Buffer.from(request));
      }),
    close: async () => {
      socket.destroy();
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.disconnect();
      await exited;
      if (kind === 'unix') rmSync(path, { force: true });
    },
  };
}
