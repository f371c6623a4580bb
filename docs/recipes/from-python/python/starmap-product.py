"""Pool(2).starmap(calc_product, [(1, 2, 3), (3, 4, 5)])."""
import sys
from multiprocessing import Pool, current_process


def calc_product(num1, num2, num3):
    sys.stdout.write(f'Process {current_process().name} calculating product '
                     f'of {(num1, num2, num3)}\n')
    return num1 * num2 * num3


if __name__ == '__main__':
    p = Pool(processes=2)
    result = p.starmap(calc_product, [(1, 2, 3), (3, 4, 5)])
    p.close()
    p.join()
    print('Result is:', result)
