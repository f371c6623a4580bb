/** What each pool task does with the shared dict and list: every proxy call goes to the manager. */
import type { DictProxy, ListProxy } from '@multiprocessing/manager';

export async function record(
  word: string,
  lengths: DictProxy<string, number>,
  seen: ListProxy<string>,
): Promise<void> {
  await lengths.set(word, word.length);
  await seen.append(word);
}
