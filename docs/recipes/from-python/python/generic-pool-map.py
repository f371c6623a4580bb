"""The generic recipe: pool.map(process_data, input_data) under the
main-module guard, timed. Under the spawn and forkserver start methods the
workers import this module, and the guard keeps them from running it."""
import time
from multiprocessing import Pool


def process_data(data):
    acc = 0
    for i in range(100_000):
        acc = (acc + data * i) % 1_000_003
    return acc


if __name__ == '__main__':
    input_data = list(range(1, 17))
    start = time.perf_counter()
    with Pool() as pool:
        processed_results = pool.map(process_data, input_data)
    execution_time = time.perf_counter() - start
    print(processed_results)
    print(f'Execution time: {execution_time:.3f} seconds')
