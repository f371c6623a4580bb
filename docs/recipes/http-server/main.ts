import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool, TimeoutError, moduleRef } from '@multiprocessing/pool';
import type * as Tasks from './tasks.js';

const tasks = moduleRef<typeof Tasks>(new URL('./tasks.js', import.meta.url));

// ---- The server -------------------------------------------------------------------------------

const MAX_IN_FLIGHT = 3; // requests running or queued on the pool; more get 503
const pool = new Pool({ processes: 2 });
const handlers = new Set<Promise<void>>(); // the requests being handled (this one not yet)
let gate = new SharedArrayBuffer(4); // the current gate of /hold (see tasks.ts)

function send(res: ServerResponse, status: number, body: string): void {
  // One connection per request keeps this demo's transcript exact; a real server can keep
  // connections alive: server.close() ends the idle ones.
  res.writeHead(status, { 'content-type': 'text/plain', connection: 'close' }).end(body);
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (handlers.size >= MAX_IN_FLIGHT) {
    send(res, 503, 'busy, try again later');
    return;
  }
  // The client goes away before its answer: stop its task (the pool replaces that worker).
  const client = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) client.abort(new Error('the client closed the connection'));
  });
  try {
    if (url.pathname === '/fib') {
      const n = Number(url.searchParams.get('n'));
      if (!Number.isInteger(n) || n < 0 || n > 50) {
        send(res, 400, 'n must be an integer from 0 to 50');
        return;
      }
      const value = await pool.apply(tasks.fib, [n], { timeout: 0.5, signal: client.signal });
      send(res, 200, `fib(${String(n)}) = ${String(value)}`);
    } else if (url.pathname === '/hold') {
      send(res, 200, await pool.apply(tasks.hold, [gate], { timeout: 5, signal: client.signal }));
    } else {
      send(res, 404, 'not found');
    }
  } catch (err) {
    if (client.signal.aborted) {
      console.log(`server: ${url.pathname} stopped: ${(client.signal.reason as Error).message}`);
    } else if (err instanceof TimeoutError) {
      send(res, 504, 'the computation took too long');
    } else {
      send(res, 500, 'internal error');
    }
  }
}

const server = createServer((req, res) => {
  const handler = handle(req, res).finally(() => handlers.delete(handler));
  handlers.add(handler);
});

/** SIGTERM: stop accepting, let the requests in flight finish, then end the pool. */
async function shutdown(): Promise<void> {
  console.log(`server: SIGTERM, no new connections; ${String(handlers.size)} request(s) in flight`);
  const closed = once(server, 'close'); // emitted once every connection has ended
  server.close();
  await Promise.all(handlers);
  await closed;
  pool.close();
  await pool.join();
}

let shuttingDown: Promise<void> | undefined;
process.once('SIGTERM', () => {
  shuttingDown = shutdown();
});

server.listen(0, '127.0.0.1');
await once(server, 'listening');
const { port } = server.address() as AddressInfo;

// ---- The demo: the program is its own client --------------------------------------------------

/** GETs `path`; resolves to "<status> <body>", or to the error's message and cause code. */
async function get(path: string, signal?: AbortSignal): Promise<string> {
  try {
    const res = await fetch(`http://127.0.0.1:${String(port)}${path}`, { signal });
    return `${String(res.status)} ${await res.text()}`;
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    return `${e.name}: ${e.message}${e.cause?.code === undefined ? '' : ` (${e.cause.code})`}`;
  }
}

/** Resolves once the server has received `count` more requests (and decided on each). */
function requestsReceived(count: number): Promise<void> {
  return new Promise((resolve) => {
    let seen = 0;
    const onRequest = (): void => {
      if (++seen < count) return;
      server.off('request', onRequest);
      resolve();
    };
    server.on('request', onRequest);
  });
}

/** Lets the /hold tasks started so far finish; later ones wait on a new gate. */
function openGate(): void {
  const view = new Int32Array(gate);
  gate = new SharedArrayBuffer(4);
  Atomics.store(view, 0, 1);
  Atomics.notify(view, 0);
}

console.log(`GET /fib?n=25 -> ${await get('/fib?n=25')}`);
console.log(`GET /fib?n=x -> ${await get('/fib?n=x')}`);
console.log(`GET /fib?n=45 -> ${await get('/fib?n=45')}`);

// Overload: 5 requests at once, with at most 3 in flight.
let received = requestsReceived(5);
const burst = Array.from({ length: 5 }, () => get('/hold'));
await received;
openGate();
console.log(`5 x GET /hold -> ${(await Promise.all(burst)).sort().join(', ')}`);

// A client that gives up: its task is stopped.
const giveUp = new AbortController();
received = requestsReceived(1);
const abandoned = get('/hold', giveUp.signal);
await received;
giveUp.abort();
console.log(`GET /hold, then the client aborts -> ${await abandoned}`);
await Promise.all(handlers); // the server's side of it

// Graceful shutdown with a request in flight.
received = requestsReceived(1);
const inFlight = get('/hold');
await received;
const sigterm = once(process, 'SIGTERM');
process.kill(process.pid, 'SIGTERM');
await sigterm; // the server's listener ran first
console.log(`GET /fib?n=10 after SIGTERM -> ${await get('/fib?n=10')}`);
openGate();
console.log(`GET /hold sent before SIGTERM -> ${await inFlight}`);
await shuttingDown;
console.log('shutdown complete: requests finished, server closed, pool joined');
