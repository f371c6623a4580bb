/**
 * A `Manager().list()` shared by `Pool(4).starmap(updateString, …)` over six
 * words. Python: `multiprocessing.Manager` + `Pool.starmap`. Every proxy
 * method returns a Promise; the order of the words may vary.
 */
import { Manager } from '@multiprocessing/manager';
import { Pool, moduleRef } from '@multiprocessing/pool';
import { repr, print } from '../repr.js';
import type * as managerTasks from '../tasks/manager.js';

const tasks = moduleRef<typeof managerTasks>(new URL('../tasks/manager.js', import.meta.url));

export async function main(): Promise<void> {
  const strs = ['with', 'great', 'power', 'comes', 'great', 'responsibility'];
  await using mgr = await Manager();
  const li = await mgr.list<string>();
  {
    await using p = new Pool({ processes: 4 });
    await p.starmap(
      tasks.updateString,
      strs.map((x) => [x, li] as [string, typeof li]),
    );
  }
  print(`List: ${repr(await li.toArray())}`);
}
