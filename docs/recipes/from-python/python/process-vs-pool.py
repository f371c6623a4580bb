"""The same function run once by a Process (start, join) and over a list by
a Pool: direct processes give control, a pool is simpler for many similar
tasks."""
import sys
from multiprocessing import Pool, Process, current_process


def describe_square(n):
    # One write per line, so the lines of two workers cannot interleave.
    sys.stdout.write(f'{current_process().name}: {n} squared is {n * n}\n')
    return n * n


if __name__ == '__main__':
    p = Process(target=describe_square, args=(7,))
    p.start()
    p.join()
    print(f'Process exit code: {p.exitcode}')

    pool = Pool(processes=2)
    results = pool.map(describe_square, [1, 2, 3])
    pool.close()
    pool.join()
    print('Pool results:', results)
