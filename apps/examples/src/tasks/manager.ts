/**
 * Task functions for the manager examples. They run in pool workers and
 * child processes and receive manager proxies, which arrive live and talk
 * to the manager's server.
 */
import type { DictProxy, ListProxy } from '@multiprocessing/manager';

/** Appends one word to the shared list (manager-list; Python's `update_string`). */
export async function updateString(val: string, l: ListProxy<string>): Promise<void> {
  await l.append(val);
}

/** Fills the dict and reverses the list (manager-dict; Python's `f(d, l)`). */
export async function fillDict(
  d: DictProxy<number | string, string | number | null>,
  l: ListProxy<number>,
): Promise<void> {
  await d.set(1, '1');
  await d.set('2', 2);
  await d.set(0.25, null);
  await l.reverse();
}

/** The object the remote manager serves: a board of messages. */
export class MessageBoard {
  readonly #messages: string[] = [];

  post(message: string): number {
    this.#messages.push(message);
    return this.#messages.length;
  }

  read(): string[] {
    return [...this.#messages];
  }
}

const board = new MessageBoard();

/** The remote manager's registered callable: every client gets the same board. */
export function getBoard(): MessageBoard {
  return board;
}

/** A client of the remote manager: connects over TCP with the authkey and posts. */
export async function postRemotely(
  address: { host: string; port: number },
  authkey: string,
  who: string,
): Promise<void> {
  // Imported here, not at the top: this module is also a Process target whose
  // arguments are proxies, and those load the manager package themselves.
  const { BaseManager } = await import('@multiprocessing/manager');
  class BoardClient extends BaseManager {}
  BoardClient.register('getBoard');
  const manager = new BoardClient({ address, authkey });
  await manager.connect();
  const remote = (await manager.create('getBoard')) as unknown as { post(message: string): Promise<number> };
  await remote.post(`hello from ${who}`);
}
