/**
 * Two `Process`es over the same list: one prints the squares, the other the
 * square roots. Both run at once, so the two lines may come in either order.
 */
import { Process, moduleRef } from '@multiprocessing/process';
import type * as processTasks from '../tasks/process.js';

const tasks = moduleRef<typeof processTasks>(new URL('../tasks/process.js', import.meta.url));

export async function main(): Promise<void> {
  const numbers = Array.from({ length: 10 }, (_, i) => i + 1);
  const squares = new Process({ target: tasks.printSquares, args: [numbers] });
  const roots = new Process({ target: tasks.printSquareRoots, args: [numbers] });
  squares.start();
  roots.start();
  await squares.join();
  await roots.join();
}
