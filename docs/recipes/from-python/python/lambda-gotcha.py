"""A lambda cannot be pickled, so a pool cannot send it to its workers; a
function defined at the top level of a module travels by its name."""
import pickle
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


def process_item(item):
    return {'name': item.name, 'age': 2017 - item.born}


if __name__ == '__main__':
    with Pool(processes=2) as pool:
        this_year = 2017
        try:
            pool.map(lambda s: {'name': s.name, 'age': this_year - s.born},
                     scientists)
        except pickle.PicklingError as err:
            print(f'{type(err).__name__}: {err}')
        # The fix: a function defined at the top level, pickled by name.
        result = pool.map(process_item, scientists)
        print('With a module function:', tuple(result[:2]), '…')
