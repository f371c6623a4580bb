"""A Manager().list() shared by Pool(4).starmap(update_string, ...) over six
words. The order of the words may vary."""
from multiprocessing import Manager, Pool


def update_string(val, li):
    li.append(val)


if __name__ == '__main__':
    strs = ['with', 'great', 'power', 'comes', 'great', 'responsibility']
    with Manager() as mgr:
        li = mgr.list()
        with Pool(processes=4) as p:
            p.starmap(update_string, [(x, li) for x in strs])
        print(f'List: {li}')
