"""Python's Manager baseline: dict set/get round trips from one client, and
list appends from 2 worker processes. Prints one JSON object on its last
line: {"set_ops": ops/s, "get_ops": ops/s, "get_rtt_us": µs,
"append2_ops": appends/s}, each a median of 3 repetitions.

usage: python3 manager_bench.py [--quick]
"""
import json
import multiprocessing as mp
import statistics
import sys
import time


def append_many(lst, n):
    for i in range(n):
        lst.append(i)


def rate(fn, n, reps=3):
    out = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn(n)
        out.append(n / (time.perf_counter() - t0))
    return statistics.median(out)


if __name__ == "__main__":
    quick = "--quick" in sys.argv
    n = 2000 if quick else 20000
    with mp.Manager() as m:
        d = m.dict()
        d["k"] = 0

        def sets(k):
            for i in range(k):
                d["k"] = i

        def gets(k):
            for _ in range(k):
                d["k"]

        sets(200)
        gets(200)
        set_ops = rate(sets, n)
        get_ops = rate(gets, n)

        per_worker = 500 if quick else 5000
        samples = []
        for _ in range(3):
            lst = m.list()
            t0 = time.perf_counter()
            ps = [mp.Process(target=append_many, args=(lst, per_worker)) for _ in range(2)]
            for p in ps:
                p.start()
            for p in ps:
                p.join()
            samples.append(2 * per_worker / (time.perf_counter() - t0))
        append2 = statistics.median(samples)
    print(json.dumps({
        "set_ops": set_ops,
        "get_ops": get_ops,
        "get_rtt_us": 1e6 / get_ops,
        "append2_ops": append2,
    }))
