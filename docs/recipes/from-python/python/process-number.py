"""Several operations per number, on Pool(4)."""
import math
from multiprocessing import Pool


def fibonacci(n):
    return n if n < 2 else fibonacci(n - 1) + fibonacci(n - 2)


def process_number(n):
    return {
        'input': n,
        'fib': fibonacci(min(n, 20)),
        'sqrt': math.sqrt(n),
        'log': math.log(n) if n > 0 else None,
    }


if __name__ == '__main__':
    numbers = [10, 15, 20, 25, 30, 35, 40]
    with Pool(processes=4) as pool:
        results = pool.map(process_number, numbers)
    for r in results:
        print(f"Number: {r['input']}, Fib: {r['fib']}, Sqrt: {r['sqrt']:.2f}")
