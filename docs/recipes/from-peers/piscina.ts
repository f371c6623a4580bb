import { Piscina } from 'piscina';

// A pool runs the functions a file exports; `name` picks one of them for each task.
// The type parameters are the task and result types of every run, unchecked against the file.
const pool = new Piscina<number, number>({
  filename: new URL('./tasks.mjs', import.meta.url).href,
  minThreads: 2,
  maxThreads: 2,
});
const numbers = [1, 2, 3, 4, 5, 6, 7, 8];

try {
  // A task is one value; a list is many `run` calls.
  const squares = await Promise.all(numbers.map((x) => pool.run(x, { name: 'square' })));
  const primes = await pool.run(200_000, { name: 'countPrimes' });

  console.log('squares:', squares.join(' '));
  console.log('primes below 200000:', primes);
} finally {
  await pool.destroy();
}
