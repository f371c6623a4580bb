/**
 * shared-memory suite: `SharedMemory` and `ShareableList` against Python's
 * `multiprocessing.shared_memory` in the same run
 * (python/shared_memory_bench.py). Rows: making and unlinking a 64 KiB
 * segment, attaching to one by name, and reading and writing the items of
 * a ShareableList of 1000 integers. Python's segments are POSIX shared
 * memory (a file in /dev/shm, mmap'd, registered with its resource
 * tracker); ours are blocks of one growable SharedArrayBuffer per process.
 */
import { ShareableList, SharedMemory } from '@multiprocessing/value-lock';
import { measure } from '../harness/measure.js';
import { runPython } from '../harness/python.js';
import type { BenchContext, BenchRow, BenchSuite } from '../harness/types.js';

const BATCH = 1000;

export const suite: BenchSuite = {
  id: 'shared-memory',
  title: 'SharedMemory and ShareableList',
  async run(ctx: BenchContext): Promise<BenchRow[]> {
    const reps = ctx.quick ? 3 : 5;
    const py = await runPython('shared_memory_bench.py', ctx.quick ? ['--quick'] : []);
    const batched = (fn: () => void) => (): void => {
      for (let i = 0; i < BATCH; i++) fn();
    };
    const rate = async (fn: () => void): Promise<number> =>
      measure(batched(fn), { repetitions: reps, time: 150, opsPerCall: BATCH });

    const createUnlink =
      (await rate(() => {
        const shm = new SharedMemory({ create: true, size: 65536 });
        shm.close();
        shm.unlink();
      })) / 1e3;
    const held = new SharedMemory({ create: true, size: 65536 });
    const sl = new ShareableList(Array.from({ length: 1000 }, (_, i) => i));
    let reads: number;
    let writes: number;
    let attach: number;
    try {
      attach =
        (await rate(() => {
          new SharedMemory(held.name).close();
        })) / 1e3;
      let k = 0;
      let sink = 0;
      reads =
        (await rate(() => {
          sink += sl[k++ % 1000] as number;
        })) / 1e6;
      if (sink < 0) throw new Error('unreachable');
      writes =
        (await rate(() => {
          sl[k % 1000] = k++;
        })) / 1e6;
    } finally {
      held.close();
      held.unlink();
      sl.shm.close();
      sl.shm.unlink();
    }

    return [
      {
        figure: 'shared-memory: SharedMemory create + close + unlink (64 KiB)',
        unit: 'k ops/s',
        higherIsBetter: true,
        ours: createUnlink,
        python: py?.create_unlink,
        note: 'Python: shm_open, ftruncate, mmap and its resource tracker; ours: a block of the process’s shared buffer, reused and zeroed',
      },
      {
        figure: 'shared-memory: attach to a SharedMemory by name + close',
        unit: 'k ops/s',
        higherIsBetter: true,
        ours: attach,
        python: py?.attach_close,
      },
      {
        figure: 'shared-memory: ShareableList read sl[i] (1000 ints)',
        unit: 'M ops/s',
        higherIsBetter: true,
        ours: reads,
        python: py?.sl_read,
      },
      {
        figure: 'shared-memory: ShareableList write sl[i] = v (1000 ints)',
        unit: 'M ops/s',
        higherIsBetter: true,
        ours: writes,
        python: py?.sl_write,
      },
    ];
  },
};
