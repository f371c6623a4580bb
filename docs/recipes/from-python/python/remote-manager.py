"""A manager served over TCP on 127.0.0.1 with an authkey, reached by
another process: a child process connects with the key and posts, then
this program connects and reads."""
from multiprocessing import AuthenticationError, Process
from multiprocessing.managers import BaseManager


class MessageBoard:
    def __init__(self):
        self._messages = []

    def post(self, message):
        self._messages.append(message)
        return len(self._messages)

    def read(self):
        return list(self._messages)


board = MessageBoard()


def get_board():
    return board


class BoardManager(BaseManager):
    pass


BoardManager.register('get_board', callable=get_board)


class BoardClient(BaseManager):
    pass


BoardClient.register('get_board')


def post_remotely(address, authkey, who):
    manager = BoardClient(address=address, authkey=authkey)
    manager.connect()
    manager.get_board().post(f'hello from {who}')


if __name__ == '__main__':
    authkey = b'abracadabra'
    with BoardManager(address=('127.0.0.1', 0), authkey=authkey) as server:
        host, port = server.address
        print(f'Serving on {host} with an authkey')

        client = Process(target=post_remotely,
                         args=((host, port), authkey, 'another process'))
        client.start()
        client.join()

        reader = BoardClient(address=(host, port), authkey=authkey)
        reader.connect()
        print('Messages:', reader.get_board().read())

        intruder = BoardClient(address=(host, port), authkey=b'wrong key')
        try:
            intruder.connect()
        except AuthenticationError as err:
            print(f'Wrong key: {type(err).__name__}: {err}')
