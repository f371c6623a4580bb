"""Python's multiprocessing Lock / RLock / Value figures for the value-lock
suite, measured the same way as src/suites/value-lock.ts. Prints one JSON
object on its last line:
  lock_pairs, rlock_pairs, value_incr   M ops/s, uncontended, one process
  contended_seconds                      2 processes x N increments of a Value
                                         under its lock (barrier to barrier)
  contended_ops                          M ops/s of the same run
  event_rtt_us                           Event ping-pong round trip between 2 processes

usage: python3 value_lock_sync.py [--quick]
"""
import json
import multiprocessing as mp
import statistics
import sys
import time

QUICK = "--quick" in sys.argv
REPS = 3 if QUICK else 5
PAIRS = 200_000 if QUICK else 1_000_000
N = 100_000
RTT_ROUNDS = 500 if QUICK else 2_000


def rate(fn, n):
    rates = []
    for _ in range(REPS):
        t0 = time.perf_counter()
        fn(n)
        rates.append(n / (time.perf_counter() - t0) / 1e6)
    return statistics.median(rates)


def lock_pairs(lock):
    def run(n):
        acquire, release = lock.acquire, lock.release
        for _ in range(n):
            acquire()
            release()
    return run


def value_incr(v):
    def run(n):
        lk = v.get_lock()
        for _ in range(n):
            with lk:
                v.value += 1
    return run


def incrementer(v, start, done, n):
    start.wait()
    lk = v.get_lock()
    for _ in range(n):
        with lk:
            v.value += 1
    done.wait()


def contended():
    seconds = []
    for _ in range(REPS):
        v = mp.Value("i", 0)
        start, done = mp.Barrier(3), mp.Barrier(3)
        ps = [mp.Process(target=incrementer, args=(v, start, done, N)) for _ in range(2)]
        for p in ps:
            p.start()
        start.wait()
        t0 = time.perf_counter()
        done.wait()
        seconds.append(time.perf_counter() - t0)
        for p in ps:
            p.join()
        assert v.value == 2 * N, v.value
    return statistics.median(seconds)


def ponger(ping, pong, rounds):
    for _ in range(rounds):
        ping.wait()
        ping.clear()
        pong.set()


def event_rtt():
    rtts = []
    for _ in range(REPS):
        ping, pong = mp.Event(), mp.Event()
        p = mp.Process(target=ponger, args=(ping, pong, RTT_ROUNDS + 50))
        p.start()
        for i in range(RTT_ROUNDS + 50):
            if i == 50:
                t0 = time.perf_counter()
            ping.set()
            pong.wait()
            pong.clear()
        rtts.append((time.perf_counter() - t0) / RTT_ROUNDS * 1e6)
        p.join()
    return statistics.median(rtts)


if __name__ == "__main__":
    out = {
        "lock_pairs": rate(lock_pairs(mp.Lock()), PAIRS),
        "rlock_pairs": rate(lock_pairs(mp.RLock()), PAIRS),
        "value_incr": rate(value_incr(mp.Value("d", 0.0)), PAIRS // 2),
    }
    out["contended_seconds"] = contended()
    out["contended_ops"] = 2 * N / out["contended_seconds"] / 1e6
    out["event_rtt_us"] = event_rtt()
    print(json.dumps(out))
