"""Two Processes over the same list: one prints the squares, the other the
square roots. Both run at once, so the two lines may come in either order."""
import math
import sys
from multiprocessing import Process


# Each line is written in one call: print() writes its parts and the newline
# one by one, and when stdout is unbuffered (python3 -u, PYTHONUNBUFFERED)
# the lines of two processes can interleave.
def print_squares(numbers):
    sys.stdout.write(f'Squares: {[n * n for n in numbers]}\n')


def print_square_roots(numbers):
    roots = [round(math.sqrt(n), 2) for n in numbers]
    sys.stdout.write(f'Square Roots: {roots}\n')


if __name__ == '__main__':
    numbers = list(range(1, 11))
    squares = Process(target=print_squares, args=(numbers,))
    roots = Process(target=print_square_roots, args=(numbers,))
    squares.start()
    roots.start()
    squares.join()
    roots.join()
