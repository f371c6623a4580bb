"""Several arguments per call: pool.starmap(power, [(2, 3), (3, 3), (4, 3)]).
"""
from multiprocessing import Pool


def power(base, exponent):
    return base ** exponent


if __name__ == '__main__':
    with Pool(processes=4) as pool:
        results = pool.starmap(power, [(2, 3), (3, 3), (4, 3)])
    print(results)
