"""Python's Process start + join latency for a no-op target, under the fork
and spawn start methods. Prints one JSON object on its last line:
{"fork_ms": median, "spawn_ms": median}.

usage: python3 process_start.py [--quick]
"""
import json
import multiprocessing as mp
import statistics
import sys
import time


def noop():
    pass


def median_ms(ctx, n):
    ctx.Process(target=noop).start()  # warm-up (imports, resource tracker)
    samples = []
    for _ in range(n):
        t0 = time.perf_counter()
        p = ctx.Process(target=noop)
        p.start()
        p.join()
        samples.append((time.perf_counter() - t0) * 1000)
    return statistics.median(samples)


if __name__ == "__main__":
    quick = "--quick" in sys.argv
    result = {
        "fork_ms": median_ms(mp.get_context("fork"), 10 if quick else 40),
        "spawn_ms": median_ms(mp.get_context("spawn"), 5 if quick else 15),
    }
    print(json.dumps(result))
