"""Python baselines for the cross-process suite (src/suites/cross-process.ts),
measured the same way: each child says it is ready on a queue, waits on an
Event, then runs; the parent or the child times the loop.

  up           msgs/s, a child puts small ints on a Queue, the parent gets them
  down         msgs/s, the parent puts small ints, a child gets them
  locked       ops/s, 2 children each make N increments of a Value under its lock,
               timed by the parent from the go to both children's reports
  pipe_rtt_us  round trip of a Pipe between 2 children, in microseconds

Each is a median of --reps repetitions (default 3 with --quick, else 5).
Name figures to measure only those; the suite runs one repetition of one
figure at a time, between its own, so that load hits both alike. Prints one
JSON object on its last line.

usage: python3 cross_process.py [--quick] [--reps=N] [up|down|locked|pipe_rtt_us …]
"""
import json
import multiprocessing as mp
import statistics
import sys
import time

QUICK = "--quick" in sys.argv
REPS = next((int(a[len("--reps="):]) for a in sys.argv if a.startswith("--reps=")), 3 if QUICK else 5)
UP = 5_000 if QUICK else 100_000
DOWN = 5_000 if QUICK else 10_000
INCR = 20_000 if QUICK else 100_000
ROUNDS = 300 if QUICK else 1_000
WARM = 500  # untimed rounds first, as the suite's


def produce(q, out, go, n, warm):
    for i in range(warm):
        q.put(i)
    out.put("ready")
    go.wait()
    for i in range(n):
        q.put(i)


def consume(q, out, go, n, warm):
    for _ in range(warm):
        q.get()
    out.put("ready")
    go.wait()
    t0 = time.perf_counter()
    for _ in range(n):
        q.get()
    out.put(time.perf_counter() - t0)


def increment(v, out, go, n, warm):
    lock = v.get_lock()

    def add(count):
        for _ in range(count):
            with lock:
                v.value += 1

    add(warm)
    out.put("ready")
    go.wait()
    t0 = time.perf_counter()
    add(n)
    out.put(time.perf_counter() - t0)


def echo(conn, out, go, rounds):
    out.put("ready")
    go.wait()
    for _ in range(rounds):
        conn.send(conn.recv())


def ping(conn, out, go, rounds, warm):
    out.put("ready")
    go.wait()
    for i in range(warm + rounds):
        if i == warm:
            t0 = time.perf_counter()
        conn.send(i)
        conn.recv()
    out.put((time.perf_counter() - t0) / rounds * 1e6)


def with_children(children, body):
    """Starts children (target, first_arg, *rest), waits until all are ready, runs body(out, go)."""
    out, go = mp.Queue(), mp.Event()
    procs = [mp.Process(target=t, args=(a, out, go, *rest)) for t, a, *rest in children]
    for p in procs:
        p.start()
    for _ in procs:
        assert out.get(timeout=30) == "ready"
    result = body(out, go)
    for p in procs:
        p.join()
    return result


def up():
    q = mp.Queue()

    def body(out, go):
        for _ in range(WARM):
            q.get()
        go.set()
        t0 = time.perf_counter()
        for _ in range(UP):
            q.get()
        return UP / (time.perf_counter() - t0)

    return with_children([(produce, q, UP, WARM)], body)


def down():
    q = mp.Queue()
    for i in range(WARM):
        q.put(i)

    def body(out, go):
        go.set()
        for i in range(DOWN):
            q.put(i)
        return DOWN / out.get()

    return with_children([(consume, q, DOWN, WARM)], body)


def locked():
    v = mp.Value("i", 0)

    def body(out, go):
        t0 = time.perf_counter()
        go.set()
        out.get()
        out.get()
        return 2 * INCR / (time.perf_counter() - t0)

    ops = with_children([(increment, v, INCR, WARM), (increment, v, INCR, WARM)], body)
    assert v.value == 2 * (INCR + WARM), v.value
    return ops


def pipe_rtt():
    a, b = mp.Pipe()

    def body(out, go):
        go.set()
        return out.get()

    return with_children([(echo, b, ROUNDS + WARM), (ping, a, ROUNDS, WARM)], body)


def med(fn):
    return statistics.median(fn() for _ in range(REPS))


FIGURES = {"up": up, "down": down, "locked": locked, "pipe_rtt_us": pipe_rtt}

if __name__ == "__main__":
    mp.set_start_method("fork")
    names = [a for a in sys.argv[1:] if not a.startswith("--")] or list(FIGURES)
    unknown = [n for n in names if n not in FIGURES]
    if unknown:
        sys.exit(f"unknown figure {unknown[0]}; known: {', '.join(FIGURES)}")
    print(json.dumps({name: med(FIGURES[name]) for name in names}))
