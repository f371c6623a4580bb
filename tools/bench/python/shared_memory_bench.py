"""Python's multiprocessing.shared_memory figures for the shared-memory suite,
measured the same way as src/suites/shared-memory.ts. Prints one JSON object
on its last line:
  create_unlink   k ops/s: SharedMemory(create=True, size=65536), close(), unlink()
  attach_close    k ops/s: SharedMemory(name) of an existing segment, close()
  sl_read         M ops/s: sl[i] over a ShareableList of 1000 ints
  sl_write        M ops/s: sl[i] = i over the same list

usage: python3 shared_memory_bench.py [--quick]
"""
import json
import statistics
import sys
import time
from multiprocessing import shared_memory

QUICK = "--quick" in sys.argv
REPS = 3 if QUICK else 5
SEGMENTS = 500 if QUICK else 2_000
ITEMS = 100_000 if QUICK else 500_000


def rate(fn, n, scale):
    rates = []
    for _ in range(REPS):
        t0 = time.perf_counter()
        fn(n)
        rates.append(n / (time.perf_counter() - t0) / scale)
    return statistics.median(rates)


def create_unlink(n):
    for _ in range(n):
        shm = shared_memory.SharedMemory(create=True, size=65536)
        shm.close()
        shm.unlink()


def attach_close(name):
    def run(n):
        for _ in range(n):
            shared_memory.SharedMemory(name).close()
    return run


def sl_read(sl):
    def run(n):
        length = len(sl)
        for k in range(n):
            sl[k % length]
    return run


def sl_write(sl):
    def run(n):
        length = len(sl)
        for k in range(n):
            sl[k % length] = k
    return run


if __name__ == "__main__":
    held = shared_memory.SharedMemory(create=True, size=65536)
    sl = shared_memory.ShareableList(range(1000))
    try:
        out = {
            "create_unlink": rate(create_unlink, SEGMENTS, 1e3),
            "attach_close": rate(attach_close(held.name), SEGMENTS, 1e3),
            "sl_read": rate(sl_read(sl), ITEMS, 1e6),
            "sl_write": rate(sl_write(sl), ITEMS, 1e6),
        }
    finally:
        held.close()
        held.unlink()
        sl.shm.close()
        sl.shm.unlink()
    print(json.dumps(out))
