"""Python's side of the memory suite: the peak RSS of the whole process tree
while multiprocessing.Pool(2).map() runs over N tiny items (default chunksize).
Run once per measurement, in a fresh interpreter. Peak = the parent's VmHWM
plus each worker process's VmHWM (read from /proc before the pool closes):
the sum of the per-process peaks, with pages a forked worker shares with its
parent counted in each. Prints one JSON object on its last line.

usage: python3 memory_bench.py <items>
"""
import json
import multiprocessing as mp
import sys


def square(x):
    return x * x


def hwm_kb(pid="self"):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


if __name__ == "__main__":
    items = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    with mp.Pool(2) as pool:
        out = pool.map(square, list(range(items)))
        assert len(out) == items
        workers_kb = sum(hwm_kb(p.pid) for p in pool._pool)
        parent_kb = hwm_kb()
    print(
        json.dumps(
            {
                "peak_mb": (parent_kb + workers_kb) / 1024,
                "parent_peak_mb": parent_kb / 1024,
                "start_method": mp.get_start_method(),
            }
        )
    )
