"""The value-race example made correct: a Lock around each change, once in
the acquire/release form and once in the `with lock:` form."""
from multiprocessing import Lock, Process, Value


def add_with_acquire_release(value, lock, delta, times):
    for _ in range(times):
        lock.acquire()
        try:
            value.value += delta
        finally:
            lock.release()


def add_with_scoped_lock(value, lock, delta, times):
    for _ in range(times):
        with lock:
            value.value += delta


if __name__ == '__main__':
    value = Value('i', 1)
    lock = Lock()
    adder = Process(target=add_with_acquire_release,
                    args=(value, lock, 1, 10_000))
    subtracter = Process(target=add_with_scoped_lock,
                         args=(value, lock, -1, 10_000))
    adder.start()
    subtracter.start()
    adder.join()
    subtracter.join()
    print(f'Value is {value.value}')
