"""Condition: three consumer processes wait until items are available; the
main process produces three and notifies them all."""
from multiprocessing import Condition, Process, Value


def consume(cond, available, consumed):
    with cond:
        cond.wait_for(lambda: available.value > 0)
        available.value -= 1
        consumed.value += 1


if __name__ == '__main__':
    cond = Condition()
    available = Value('i', 0, lock=False)
    consumed = Value('i', 0, lock=False)
    consumers = [Process(target=consume, args=(cond, available, consumed))
                 for _ in range(3)]
    for p in consumers:
        p.start()
    with cond:
        available.value = 3
        print('Producer: 3 items ready, notifying all consumers')
        cond.notify_all()
    for p in consumers:
        p.join()
    print(f'Consumed: {consumed.value}, left: {available.value}')
