import Tinypool from 'tinypool';

// Piscina's API (tinypool is a fork): a file of exported functions, `name` picks one per task.
const pool = new Tinypool({
  filename: new URL('./tasks.mjs', import.meta.url),
  minThreads: 2,
  maxThreads: 2,
});
const numbers = [1, 2, 3, 4, 5, 6, 7, 8];

try {
  // `run` resolves to `any`: the types are yours to state.
  const squares = (await Promise.all(numbers.map((x) => pool.run(x, { name: 'square' })))) as number[];
  const primes = (await pool.run(200_000, { name: 'countPrimes' })) as number;

  console.log('squares:', squares.join(' '));
  console.log('primes below 200000:', primes);
} finally {
  await pool.destroy();
}
