"""Python baselines for the queue suite (tools/bench/src/suites/queue.ts).

Measures multiprocessing.Queue throughput 1 -> 1 (small ints, short strings,
1 KB dicts) and 2 -> 2 (small ints), and the Pipe round trip between two
processes. Prints one JSON object on the last line: msgs/s and microseconds.
"""
import json
import multiprocessing as mp
import statistics
import sys
import time

QUICK = '--quick' in sys.argv
N = 20_000 if QUICK else 100_000
REPS = 3
RTT_ROUNDS = 2_000 if QUICK else 10_000


def make_item(kind, i):
    if kind == 'int':
        return i
    if kind == 'str':
        return f'item-{i:08d}'
    return {'id': i, 'name': f'object-{i}', 'tags': ['a', 'b', 'c'], 'payload': 'x' * 950}


def producer(q, kind, n, go):
    go.wait()
    for i in range(n):
        q.put(make_item(kind, i))


def consumer(q, n, go, out):
    go.wait()
    t0 = time.perf_counter()
    for _ in range(n):
        q.get()
    out.put(time.perf_counter() - t0)


def queue_rate(kind, producers, consumers):
    q = mp.Queue(maxsize=1000)
    go = mp.Event()
    out = mp.Queue()
    total = N
    per_p = total // producers
    per_c = total // consumers
    procs = [mp.Process(target=producer, args=(q, kind, per_p, go)) for _ in range(producers)]
    procs += [mp.Process(target=consumer, args=(q, per_c, go, out)) for _ in range(consumers)]
    for p in procs:
        p.start()
    time.sleep(0.3)  # let every process reach go.wait()
    go.set()
    elapsed = max(out.get() for _ in range(consumers))
    for p in procs:
        p.join()
    return total / elapsed


def echo(conn, rounds):
    for _ in range(rounds):
        conn.send(conn.recv())


def pipe_rtt():
    a, b = mp.Pipe()
    warm = 200
    p = mp.Process(target=echo, args=(b, RTT_ROUNDS + warm))
    p.start()
    for i in range(warm):
        a.send(i)
        a.recv()
    t0 = time.perf_counter()
    for i in range(RTT_ROUNDS):
        a.send(i)
        a.recv()
    dt = time.perf_counter() - t0
    p.join()
    return dt / RTT_ROUNDS * 1e6


def med(fn, *args):
    return statistics.median(fn(*args) for _ in range(REPS))


if __name__ == '__main__':
    mp.set_start_method('fork')
    result = {
        'q11_int': med(queue_rate, 'int', 1, 1),
        'q11_str': med(queue_rate, 'str', 1, 1),
        'q11_obj': med(queue_rate, 'obj', 1, 1),
        'q22_int': med(queue_rate, 'int', 2, 2),
        'pipe_rtt_us': med(pipe_rtt),
    }
    print(json.dumps(result))
