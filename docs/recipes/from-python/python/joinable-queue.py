"""JoinableQueue: three worker processes take numbers from a joinable queue,
square them and mark each task done; the parent waits with join() until
every task is done, then stops the workers."""
from multiprocessing import JoinableQueue, Process, Queue


def square_worker(jobs, results):
    while True:
        n = jobs.get()
        if n is None:
            jobs.task_done()
            return
        results.put((n, n * n))
        jobs.task_done()


if __name__ == '__main__':
    jobs = JoinableQueue()
    results = Queue()
    workers = [Process(target=square_worker, args=(jobs, results))
               for _ in range(3)]
    for w in workers:
        w.start()
    for n in range(1, 11):
        jobs.put(n)
    jobs.join()
    waiting = results.qsize()
    print('all tasks done; results waiting:', waiting)
    # Not `while not results.empty()`: a worker's feeder thread may not
    # have written its last result to the pipe yet.
    squares = sorted(results.get() for _ in range(waiting))
    print('squares:', squares)
    for _ in workers:
        jobs.put(None)
    jobs.join()
    for w in workers:
        w.join()
    print('workers exited:', [w.exitcode for w in workers])
