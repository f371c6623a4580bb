"""Barrier(3): three processes wait for one another; the action runs once,
in one of them, before any is released. Each gets a distinct index."""
from multiprocessing import Array, Barrier, Process


def announce():
    print('All 3 parties arrived')


def meet_at_barrier(barrier, indexes, slot):
    indexes[slot] = barrier.wait()


if __name__ == '__main__':
    barrier = Barrier(3, action=announce)
    indexes = Array('i', [-1, -1, -1])
    parties = [Process(target=meet_at_barrier, args=(barrier, indexes, slot))
               for slot in range(3)]
    for p in parties:
        p.start()
    for p in parties:
        p.join()
    print('Indexes:', sorted(indexes))
