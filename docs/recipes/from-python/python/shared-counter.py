"""A Value('i', 0) and a Lock: 4 processes each add 1 a thousand times
under the lock."""
from multiprocessing import Lock, Process, Value


def add_one_under_lock(counter, lock, times):
    for _ in range(times):
        with lock:
            counter.value += 1


if __name__ == '__main__':
    counter = Value('i', 0)
    lock = Lock()
    processes = [
        Process(target=add_one_under_lock, args=(counter, lock, 1000))
        for _ in range(4)
    ]
    for p in processes:
        p.start()
    for p in processes:
        p.join()
    print(f'Final counter: {counter.value}')
