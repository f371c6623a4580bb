// What the workers run (CommonJS).
exports.square = (x) => x * x;

exports.produce = function produce(queue, n) {
  for (let i = 0; i < n; i++) queue.putSync(i);
};

exports.count = function count(counter, times) {
  for (let i = 0; i < times; i++) {
    const held = counter.getLock().holdSync();
    try {
      counter.value += 1;
    } finally {
      held[Symbol.dispose]();
    }
  }
};

exports.record = async function record(dict, key) {
  await dict.set(key, [1, 2]);
};
