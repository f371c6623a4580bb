"""The concurrent.futures way: submit returns a Future, map yields results
in order, shutdown waits for the work (and `with` does it for you)."""
import time
from concurrent.futures import ProcessPoolExecutor


def slow_square(n):
    time.sleep(0.05)
    return n * n


def square(x):
    return x ** 2


def power(base, exponent):
    return base ** exponent


if __name__ == '__main__':
    executor = ProcessPoolExecutor(max_workers=2)
    future = executor.submit(slow_square, 12)
    print('submitted; done yet?', future.done())
    print('result:', future.result())
    print('done now?', future.done())

    print('map:', list(executor.map(square, [1, 2, 3, 4, 5])))

    futures = [executor.submit(power, 2, n) for n in [3, 4, 5]]
    executor.shutdown(wait=True)
    print('after shutdown:', [f.result() for f in futures])
    try:
        executor.submit(square, 1)
    except RuntimeError as err:
        print(f'{type(err).__name__}: {err}')
