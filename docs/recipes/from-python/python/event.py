"""Event: two processes wait until the main process sets the event."""
import sys
from multiprocessing import Event, Process, current_process


def wait_for_event(event):
    event.wait()
    sys.stdout.write(f'{current_process().name}: event received\n')


if __name__ == '__main__':
    event = Event()
    waiters = [Process(target=wait_for_event, args=(event,))
               for _ in range(2)]
    for p in waiters:
        p.start()
    print(f'Event is set: {event.is_set()}')
    print('Main process: setting the event')
    event.set()
    for p in waiters:
        p.join()
    print(f'Event is set: {event.is_set()}')
