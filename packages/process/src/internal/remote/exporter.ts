/**
 * The owner's side of sending a thread-only shared object (a Lock, a Queue,
 * a Pipe's end) to another OS process: the object gets an id, this
 * process's broker serves it, and the descriptor sent is its broker's
 * address and that id. The broker is a worker thread listening on a Unix
 * socket, so it answers while this thread is blocked in a `…Sync` call; it
 * starts with the first object sent.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { isMainThread, Worker } from 'node:worker_threads';
import { PicklingError, type Shareable } from '@multiprocessing/core';
import {
  kSharedBuffers,
  loadShareable,
  setCrossProcessExporter,
  sharedBufferHandoff,
  toPostable,
  type ShareableDescriptor,
} from '@multiprocessing/core/internal';
import { currentProcess } from '../../current-process.js';
import { entryPath } from '../entry-path.js';
import { makeBrokerDir } from './broker-dir.js';
import { owner } from './owner-state.js';
import { REMOTE_MODULE } from './remote-object.js';
import { REMOTE_TAG, type RemoteData } from './wire.js';

function startBroker(): void {
  const dir = makeBrokerDir();
  const addr = join(dir, 'broker');
  // The broker takes about a worker's start to listen; nothing waits for it
  // here. A process that connects before it listens retries (the helper,
  // entry/remote-helper.ts), and objects posted before it runs wait in its port.
  // The objects it serves revive in it: it must know this process's shared
  // buffers (the named memory of a SharedMemory among them).
  const buffers = sharedBufferHandoff();
  const worker = new Worker(entryPath('broker'), {
    workerData: { addr, authkey: currentProcess().authkey, [kSharedBuffers]: buffers },
    transferList: [buffers.relay],
  });
  worker.unref();
  worker.on('error', (err) => {
    owner.failed = err;
  });
  process.once('exit', () => {
    rmSync(dir, { recursive: true, force: true });
  });
  owner.addr = addr;
  owner.register = (id, value) => {
    const { value: desc, transfer } = toPostable(value, 'value');
    worker.postMessage({ id, desc }, transfer);
  };
}

/** The remote descriptor of `value`, whose own descriptor `desc` holds thread-only memory. */
function exportShareable(value: Shareable, desc: ShareableDescriptor): ShareableDescriptor {
  const reg = loadShareable(desc.tag, desc.module);
  const spec = reg.remote;
  const name = value.constructor.name;
  if (spec === undefined) {
    throw new PicklingError(
      `${name} lives in memory shared between threads and declares no methods for other processes; use the 'thread' start method, or a Manager proxy`,
    );
  }
  if (owner.failed !== undefined) {
    throw new PicklingError(
      `${name} cannot be sent to another process: this process's broker failed: ${owner.failed.message}`,
      { cause: owner.failed },
    );
  }
  if (owner.register === undefined) {
    if (!isMainThread) {
      throw new PicklingError(
        `${name} can be sent to another process only from the main thread of the process that made it`,
      );
    }
    startBroker();
  }
  let id = owner.ids.get(value);
  if (id === undefined) {
    id = owner.next;
    owner.next += 2;
    owner.ids.set(value, id);
    owner.table.set(id, value);
    owner.register?.(id, value, desc.tag);
  }
  if (spec.closeWhenUsersExit === true) {
    // A handle (a Pipe end) counted itself in flight in `desc`, which is not
    // sent: revived here and closed, it stops keeping its end open.
    (reg.revive(desc.data) as { close(): void }).close();
  }
  const constants: Record<string, unknown> = {};
  for (const key of spec.constants ?? []) constants[key] = (value as unknown as Record<string, unknown>)[key];
  const data: RemoteData = {
    addr: owner.addr ?? '',
    id,
    tag: desc.tag,
    module: desc.module,
    pid: process.pid,
    name,
    constants,
    streamed: { ...spec.streamed?.(value as never) },
    prefetch: spec.prefetch?.when(value as never) === true,
  };
  return { __mpShareable: 1, tag: REMOTE_TAG, module: REMOTE_MODULE, data, threadOnly: false };
}

setCrossProcessExporter(exportShareable);
