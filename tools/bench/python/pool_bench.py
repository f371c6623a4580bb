"""Python's multiprocessing.Pool on the figures of the pool suite: tiny tasks
one call each (apply_async, many in flight), map of tiny items with the
default chunksize, one task in flight (apply_async().get()), and Pool start-up
(Pool(2) to the first result). Prints one JSON object on its last line.

usage: python3 pool_bench.py [--quick]
"""
import json
import multiprocessing as mp
import statistics
import sys
import time


def square(x):
    return x * x


def median(xs):
    return statistics.median(xs)


def apply_async_rate(pool, n, reps):
    rates = []
    for _ in range(reps):
        t0 = time.perf_counter()
        rs = [pool.apply_async(square, (i,)) for i in range(n)]
        for r in rs:
            r.get()
        rates.append(n / (time.perf_counter() - t0))
    return median(rates)


def map_rate(pool, n, reps):
    data = list(range(n))
    rates = []
    for _ in range(reps):
        t0 = time.perf_counter()
        pool.map(square, data)
        rates.append(n / (time.perf_counter() - t0))
    return median(rates)


def latency_us(pool, n, reps):
    out = []
    for _ in range(reps):
        t0 = time.perf_counter()
        for i in range(n):
            pool.apply_async(square, (i,)).get()
        out.append((time.perf_counter() - t0) / n * 1e6)
    return median(out)


def startup_ms(reps):
    out = []
    for _ in range(reps):
        t0 = time.perf_counter()
        pool = mp.Pool(2)
        pool.apply(square, (3,))
        out.append((time.perf_counter() - t0) * 1000)
        pool.terminate()
        pool.join()
    return median(out)


if __name__ == "__main__":
    quick = "--quick" in sys.argv
    reps = 3
    with mp.Pool(2) as pool:
        pool.map(square, range(1000))  # warm-up
        result = {
            "apply_async_tasks_per_s": apply_async_rate(pool, 5_000 if quick else 20_000, reps),
            "map_100k_items_per_s": map_rate(pool, 100_000, reps),
            "map_1m_items_per_s": map_rate(pool, 200_000 if quick else 1_000_000, reps),
            "latency_us": latency_us(pool, 200 if quick else 1000, reps),
        }
    result["startup_ms"] = startup_ms(3 if quick else 7)
    result["start_method"] = mp.get_start_method()
    print(json.dumps(result))
