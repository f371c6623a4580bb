"""Semaphore(2): four processes share two slots, so never more than two work
at once."""
import time
from multiprocessing import Process, Semaphore, Value


def use_slot(slots, inside, most):
    with slots:
        with inside.get_lock():
            inside.value += 1
            now = inside.value
        with most.get_lock():
            most.value = max(most.value, now)
        time.sleep(0.03)  # stands in for some work
        with inside.get_lock():
            inside.value -= 1


if __name__ == '__main__':
    slots = Semaphore(2)
    inside = Value('i', 0)
    most = Value('i', 0)
    workers = [Process(target=use_slot, args=(slots, inside, most))
               for _ in range(4)]
    for p in workers:
        p.start()
    for p in workers:
        p.join()
    print('4 processes shared 2 slots; never more than 2 inside at once: '
          f'{most.value <= 2}')
    print(f'Slots free at the end: {slots.get_value()}')
