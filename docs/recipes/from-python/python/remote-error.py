"""A task that raises in a worker: the call raises in the caller with the
same exception class and message; the worker's traceback is its cause."""
import re
from collections import namedtuple
from multiprocessing import Pool

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


def transform(item):
    # Treats a scientist as a list of records: it raises AttributeError.
    return sum(len(record.name) for record in item.field)


if __name__ == '__main__':
    with Pool(processes=2) as pool:
        try:
            pool.map(transform, scientists)
        except Exception as err:
            print(f'{type(err).__name__}: {err}')
            print('Stack from the worker:')
            # err.__cause__ holds the worker's formatted traceback; its
            # frames name absolute paths, so print the function names only.
            print('\n'.join(
                f'  in {name}'
                for name in re.findall(r', in (\w+)\n', str(err.__cause__))))
