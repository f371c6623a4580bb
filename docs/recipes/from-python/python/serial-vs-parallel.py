"""The course's benchmark: calc_cubes (the cubes of 0 ... 999) called many
times on Pool(5), then serially, both timed. Progress is drawn only when
stdout is a terminal."""
import sys
import time
from multiprocessing import Pool

CALLS = 2_000  # the course makes 100 000; fewer keep the run short


def calc_cubes(_):
    return sum(n ** 3 for n in range(1000))


def show_progress(label, done):
    if sys.stdout.isatty():
        print(f'\r{label} {done}/{CALLS}', end='', flush=True)


if __name__ == '__main__':
    t1 = time.perf_counter()
    parallel = []
    with Pool(processes=5) as p:
        for value in p.imap(calc_cubes, range(CALLS), chunksize=100):
            parallel.append(value)
            if len(parallel) % 100 == 0:
                show_progress('parallel', len(parallel))
    show_progress('parallel', CALLS)
    if sys.stdout.isatty():
        print()
    print('Parallel Processing Time Taken: '
          f'{time.perf_counter() - t1:.2f} s')

    print('Starting Serial Processing')
    t1 = time.perf_counter()
    serial = []
    for i in range(CALLS):
        serial.append(calc_cubes(i))
        if (i + 1) % 100 == 0:
            show_progress('serial', i + 1)
    if sys.stdout.isatty():
        print()
    print('Sequential Processing Time Taken: '
          f'{time.perf_counter() - t1:.2f} s')
    print(f'Calls: {CALLS} each way; results equal: {parallel == serial}; '
          f'sum of the cubes: {serial[0]}')
