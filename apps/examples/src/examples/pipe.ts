/**
 * `Pipe()`: the parent and a child `Process` talk over the two ends of a
 * duplex pipe: objects with send/recv, raw bytes with recvBytes, and EOF
 * once the child has closed its end.
 */
import { Process, moduleRef } from '@multiprocessing/process';
import { EOFError, Pipe } from '@multiprocessing/queue';
import { print } from '../repr.js';
import type * as queueTasks from '../tasks/queue.js';

const tasks = moduleRef<typeof queueTasks>(new URL('../tasks/queue.js', import.meta.url));

export async function main(): Promise<void> {
  const [parentConn, childConn] = Pipe();
  const p = new Process({ target: tasks.pipeChild, args: [childConn] });
  p.start();
  childConn.close(); // the child has its own handle, as in Python
  print('parent got:', await parentConn.recv());
  for (const n of [3, 4]) {
    parentConn.send(n);
    print('parent got:', await parentConn.recv());
  }
  parentConn.send('bye');
  print('parent got bytes:', new TextDecoder().decode(await parentConn.recvBytes()));
  try {
    await parentConn.recv();
  } catch (err) {
    if (!(err instanceof EOFError)) throw err;
    print('child closed its end: EOFError');
  }
  await p.join();
  parentConn.close();
}
