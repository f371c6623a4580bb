"""Value('i', 1): one process adds 1 ten thousand times, another subtracts 1
ten thousand times. `v.value += 1` is a read then a write, each under the
value's own lock but not together, so updates get lost."""
from multiprocessing import Barrier, Process, Value


def add_unlocked(value, delta, times, start):
    start.wait()  # so both loops run at the same time
    for _ in range(times):
        value.value += delta


if __name__ == '__main__':
    value = Value('i', 1)
    start = Barrier(2)
    adder = Process(target=add_unlocked, args=(value, 1, 10_000, start))
    subtracter = Process(target=add_unlocked,
                         args=(value, -1, 10_000, start))
    adder.start()
    subtracter.start()
    adder.join()
    subtracter.join()
    print(f'Value is {value.value} '
          '(without a lock, lost updates make this vary)')
