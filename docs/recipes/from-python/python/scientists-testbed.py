"""The course's testbed: the same transformation made slow on purpose, timed
serially and then on a pool with one worker per core."""
import time
from collections import namedtuple
from multiprocessing import Pool, cpu_count

Scientist = namedtuple('Scientist', ['name', 'born'])

scientists = (
    Scientist(name='Ada Lovelace', born=1815),
    Scientist(name='Emmy Noether', born=1882),
    Scientist(name='Marie Curie', born=1867),
    Scientist(name='Tu Youyou', born=1930),
    Scientist(name='Ada Yonath', born=1939),
    Scientist(name='Vera Rubin', born=1928),
    Scientist(name='Sally Ride', born=1951),
)


def slow_process_item(item):
    time.sleep(0.2)  # the course sleeps a second per item
    return {'name': item.name, 'age': 2017 - item.born}


if __name__ == '__main__':
    start = time.perf_counter()
    serial = [slow_process_item(item) for item in scientists]
    print(f'Serial: time to complete: {time.perf_counter() - start:.2f} s')

    start = time.perf_counter()
    with Pool(processes=cpu_count()) as pool:
        parallel = pool.map(slow_process_item, scientists)
    elapsed = time.perf_counter() - start
    print(f'Parallel on {cpu_count()} workers: time to complete: '
          f'{elapsed:.2f} s')
    print('Results equal:', serial == parallel)
