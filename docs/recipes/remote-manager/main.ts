/**
 * The two machines on one: starts server.ts as its own OS process, runs client.ts against it,
 * shows that a wrong key is refused, and stops the server.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { BaseManager } from '@multiprocessing/manager';

const authkey = 'a long random secret';

/** Runs a .ts file in a new Node process with tsx, as `AUTHKEY=… npx tsx file args` would. */
function run(file: string, args: string[]) {
  const path = fileURLToPath(new URL(file, import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', path, ...args], {
    env: { ...process.env, AUTHKEY: authkey },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  return { child, exited, lines: createInterface({ input: child.stdout })[Symbol.asyncIterator]() };
}

// Machine A: the server, on a free port (port 0), waits for clients.
const server = run('./server.ts', ['127.0.0.1', '0']);
const listening = (await server.lines.next()).value as string | undefined;
const match = /^listening on (.+):(\d+)$/.exec(listening ?? '');
if (match === null) throw new Error(`the server did not start: ${String(listening)}`);
const [, host = '', port = ''] = match;
console.log(`server: ${listening}`);

// Machine B: the client, given the server's address and the same key.
const client = run('./client.ts', [host, port]);
for await (const line of client.lines) console.log(`client: ${line}`);
console.log(`client exited with code ${(await client.exited)[0]}`);

// Anyone else who reaches the port but has the wrong key is refused before any object is seen.
class JobManager extends BaseManager {}
const intruder = new JobManager({ address: { host, port: Number(port) }, authkey: 'a wrong guess' });
try {
  await intruder.connect();
} catch (err) {
  console.log(`wrong key: ${(err as Error).name}: ${(err as Error).message}`);
}

// Stop the server as Ctrl-C would; it closes its connections and exits by itself.
server.child.kill('SIGTERM');
for await (const line of server.lines) console.log(`server: ${line}`);
console.log(`server exited with code ${(await server.exited)[0]}`);
