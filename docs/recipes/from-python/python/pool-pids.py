"""Pool(4).map(compute_squares, range(12)), each call printing which worker
computes which number: four workers, each reused."""
import sys
from multiprocessing import Pool, current_process


def compute_squares(num):
    # The course prints os.getpid(); the worker's name tells them apart too.
    sys.stdout.write(
        f'Process {current_process().name} calculating square of {num}\n')
    return num * num


if __name__ == '__main__':
    p = Pool(processes=4)
    result = p.map(compute_squares, range(12))
    p.close()
    p.join()
    print(f'Result is: {result}')
