"""Python's pickle round trip (dumps + loads, the default protocol that
multiprocessing uses) on the codec suite's payloads. Prints one JSON object
on its last line: round trips per second by payload id.

usage: python3 codec.py [--quick]
"""
import array
import datetime
import json
import pickle
import re
import statistics
import sys
import time


def obj_1k():
    # The same object as OBJECT_1K in src/suites/codec.ts.
    return {
        "id": 123456,
        "name": "Ada Lovelace",
        "email": "ada@example.org",
        "active": True,
        "score": 98.25,
        "tags": ["math", "engines", "poetry", "notes", "analysis"],
        "address": {"street": "12 St James's Square", "city": "London", "zip": "SW1Y 4JH", "country": "UK"},
        "history": [
            {"year": 1833 + i, "event": "event number %d in a long life" % i, "weight": i * 1.5}
            for i in range(10)
        ],
        "matrix": [[r * 4 + c for c in range(4)] for r in range(4)],
        "notes": "x" * 120,
    }


def records(n):
    return [
        {"id": i, "name": "user-%d" % i, "score": i * 0.5 + 0.25, "active": i % 3 == 0, "tags": ["a", "b"]}
        for i in range(n)
    ]


def rich():
    return {
        "when": datetime.datetime(2026, 11, 1, tzinfo=datetime.timezone.utc),
        "seen": {1, 2, 3},
        "index": {"a": 1, "b": 2},
        "big": 12345678901234567890,
        "err": ValueError("bad value"),
        "neg_zero": -0.0,
        "pattern": re.compile("ab+c", re.I),
        "bytes": bytes(16),
    }


def measure(payload, seconds, repetitions):
    dumps, loads = pickle.dumps, pickle.loads
    n = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(n):
            loads(dumps(payload))
        elapsed = time.perf_counter() - t0
        if elapsed >= seconds / 4:
            break
        n *= 16 if elapsed < seconds / 64 else 4
    n = max(1, round(n * seconds / elapsed))
    rates = []
    for _ in range(repetitions):
        t0 = time.perf_counter()
        for _ in range(n):
            loads(dumps(payload))
        rates.append(n / (time.perf_counter() - t0))
    return statistics.median(rates)


def main():
    quick = "--quick" in sys.argv
    seconds, repetitions = (0.05, 3) if quick else (0.2, 5)
    payloads = {
        "small": [3, 17, 42],
        "obj1k": obj_1k(),
        "records10k": records(10_000),
        "f64_8mb": array.array("d", (i * 0.5 for i in range(1 << 20))),
        "rich": rich(),
    }
    out = {name: measure(p, seconds, repetitions) for name, p in payloads.items()}
    out.update({"bytes_" + name: len(pickle.dumps(p)) for name, p in payloads.items()})
    print(json.dumps(out))


if __name__ == "__main__":
    main()
