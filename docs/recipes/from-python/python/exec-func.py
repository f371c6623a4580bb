"""Several arguments through map: an intermediate function unpacks each
argument tuple for the three-argument function (the course's workaround
before starmap)."""
import sys
from multiprocessing import Pool, current_process


def calc_product(num1, num2, num3):
    sys.stdout.write(f'Process {current_process().name} calculating product '
                     f'of {(num1, num2, num3)}\n')
    return num1 * num2 * num3


def exec_func(nums):
    return calc_product(*nums)


if __name__ == '__main__':
    p = Pool(processes=4)
    result = p.map(exec_func, [(1, 2, 3), (3, 4, 5)])
    p.close()
    p.join()
    print('Result is:', result)
