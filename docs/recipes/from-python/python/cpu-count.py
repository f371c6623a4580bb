"""Pool(cpu_count()): one worker per core, the usual size."""
from multiprocessing import Pool, cpu_count


def square(x):
    return x ** 2


if __name__ == '__main__':
    count = cpu_count()
    print(f'CPU count: {count}')
    with Pool(processes=count) as pool:
        print(f'Pool of {count} workers:', pool.map(square, [1, 2, 3, 4]))
