"""A Manager().dict() and Manager().list() changed by a child process. Keys
keep their types (1, '2', 0.25); what a proxy returns is a copy."""
from multiprocessing import Manager, Process


def fill_dict(d, li):
    d[1] = '1'
    d['2'] = 2
    d[0.25] = None
    li.reverse()


if __name__ == '__main__':
    with Manager() as manager:
        d = manager.dict()
        li = manager.list(range(10))
        p = Process(target=fill_dict, args=(d, li))
        p.start()
        p.join()
        print(d)
        print(li)
