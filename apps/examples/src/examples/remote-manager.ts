/**
 * A manager served over TCP on 127.0.0.1 with an authkey, reached by another
 * process (Python docs, "Using a remote manager"). The server runs in its
 * own OS process (the 'process' start method); a child process connects
 * with the key and posts, then this program connects and reads.
 */
import { BaseManager } from '@multiprocessing/manager';
import { getContext, moduleRef, taskRef } from '@multiprocessing/process';
import { print } from '../repr.js';
import type * as managerTasks from '../tasks/manager.js';

const tasksUrl = new URL('../tasks/manager.js', import.meta.url);
const tasks = moduleRef<typeof managerTasks>(tasksUrl);

class BoardManager extends BaseManager {}
BoardManager.register('getBoard', taskRef(tasksUrl, 'getBoard'));

export async function main(): Promise<void> {
  const ctx = getContext('process');
  const authkey = 'abracadabra';
  await using server = new BoardManager({ address: { host: '127.0.0.1', port: 0 }, authkey, context: ctx });
  await server.start();
  const address = server.address as { host: string; port: number };
  print(`Serving on ${address.host} with an authkey`);

  const client = new ctx.Process({ target: tasks.postRemotely, args: [address, authkey, 'another process'] });
  client.start();
  await client.join();

  class BoardClient extends BaseManager {}
  BoardClient.register('getBoard');
  const reader = new BoardClient({ address, authkey });
  await reader.connect();
  const board = (await reader.create('getBoard')) as unknown as { read(): Promise<string[]> };
  print('Messages:', await board.read());

  const intruder = new BoardClient({ address, authkey: 'wrong key' });
  try {
    await intruder.connect();
  } catch (err) {
    print(`Wrong key: ${(err as Error).name}: ${(err as Error).message}`);
  }
}
