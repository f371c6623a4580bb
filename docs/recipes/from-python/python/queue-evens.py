"""A Process puts the even numbers of range(100) on a Queue; the parent joins
it, then gets and prints what is on the queue. Joining before reading is
safe here only because the data is small: a child whose queued data does
not fit in the pipe cannot exit until someone reads it."""
from multiprocessing import Process, Queue


def get_even(nums, q):
    q.put([n for n in nums if n % 2 == 0])


if __name__ == '__main__':
    q = Queue()
    p = Process(target=get_even, args=(list(range(100)), q))
    p.start()
    p.join()
    # Display the contents of the queue until it is empty.
    while not q.empty():
        print('Queue:', q.get())
