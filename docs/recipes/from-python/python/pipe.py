"""Pipe(): the parent and a child Process talk over the two ends of a duplex
pipe: objects with send/recv, raw bytes with recv_bytes, and EOF once the
child has closed its end."""
from multiprocessing import Pipe, Process


def pipe_child(conn):
    conn.send('hello from the child')
    while True:
        msg = conn.recv()
        if msg == 'bye':
            break
        conn.send({'question': msg, 'answer': msg * msg})
    conn.send_bytes(b'raw bytes, too')
    conn.close()


if __name__ == '__main__':
    parent_conn, child_conn = Pipe()
    p = Process(target=pipe_child, args=(child_conn,))
    p.start()
    child_conn.close()  # the child has its own copy
    print('parent got:', parent_conn.recv())
    for n in [3, 4]:
        parent_conn.send(n)
        print('parent got:', parent_conn.recv())
    parent_conn.send('bye')
    print('parent got bytes:', parent_conn.recv_bytes().decode())
    try:
        parent_conn.recv()
    except EOFError:
        print('child closed its end: EOFError')
    p.join()
    parent_conn.close()
