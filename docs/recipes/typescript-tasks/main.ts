import { Pool, moduleRef } from '@multiprocessing/pool';
import { Queue } from '@multiprocessing/queue';
import { Value } from '@multiprocessing/value-lock';
import type * as Tasks from './tasks.js';

// Typed: tasks.score takes a string and gives a Score; a wrong argument does not compile.
const tasks = moduleRef<typeof Tasks>(new URL('./tasks.js', import.meta.url));

const progress = new Value('i', 0);
const messages = new Queue<string>();
const words = ['typed', 'tasks', 'run', 'under', 'tsx'];

{
  await using pool = new Pool({
    processes: 2,
    initializer: tasks.init,
    initArgs: [progress, messages] satisfies Parameters<typeof Tasks.init>,
  });
  const scores: Tasks.Score[] = await pool.map(tasks.score, words);
  for (const { word, score } of scores) console.log(`${word}: ${score}`);
}

console.log(`words scored, counted in the shared Value: ${progress.value}`);
const lines: string[] = [];
while (!messages.empty()) lines.push(await messages.get());
console.log('messages on the shared Queue, sorted:', lines.sort());
messages.close();
