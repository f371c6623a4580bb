// What the workers run (plain ESM).
export const square = (x) => x * x;

export function produce(queue, n) {
  for (let i = 0; i < n; i++) queue.putSync(i);
}

export function count(counter, times) {
  for (let i = 0; i < times; i++) {
    const held = counter.getLock().holdSync();
    try {
      counter.value += 1;
    } finally {
      held[Symbol.dispose]();
    }
  }
}

export async function record(dict, key) {
  await dict.set(key, [1, 2]);
}
