// deliverChallenge / answerChallenge over a connection of one's own (a
// Pipe's ends, and a socket connection made without a key), and fileno()
// of a socket connection.
import { fstatSync } from 'node:fs';
import {
  answerChallenge,
  AuthenticationError,
  Client,
  deliverChallenge,
  Listener,
  StateError,
  type Connection,
} from '@multiprocessing/manager';
import { Pipe } from '@multiprocessing/queue';
import { within } from './helpers.js';

const WAIT_MS = 10_000;

describe('deliverChallenge and answerChallenge', () => {
  it('pass when both ends hold the key, over a Pipe', async () => {
    const [a, b] = Pipe();
    await within(
      Promise.all([deliverChallenge(a, 'secret'), answerChallenge(b, 'secret')]),
      WAIT_MS,
      'handshake',
    );
    // The connection carries messages afterwards, nothing of the handshake left over.
    a.send('after');
    await expect(b.recv()).resolves.toBe('after');
    a.close();
    b.close();
  });

  it('fail on both sides when the keys differ, with Python messages', async () => {
    const [a, b] = Pipe();
    const [delivered, answered] = await within(
      Promise.allSettled([deliverChallenge(a, new Uint8Array([1, 2, 3])), answerChallenge(b, 'other')]),
      WAIT_MS,
      'handshake',
    );
    expect(delivered).toEqual({
      status: 'rejected',
      reason: new AuthenticationError('digest received was wrong'),
    });
    expect(answered).toEqual({
      status: 'rejected',
      reason: new AuthenticationError('digest sent was rejected'),
    });
    expect((delivered as PromiseRejectedResult).reason).toBeInstanceOf(AuthenticationError);
    a.close();
    b.close();
  });

  it('refuses something that is not a connection, and a bad key, before sending anything', async () => {
    await expect(deliverChallenge({} as never, 'k')).rejects.toThrow(
      new TypeError('connection must be a Connection (with sendBytes and recvBytes), got object'),
    );
    await expect(answerChallenge(null as never, 'k')).rejects.toThrow(TypeError);
    const [a, b] = Pipe();
    await expect(deliverChallenge(a, '')).rejects.toThrow(RangeError);
    await expect(deliverChallenge(a, 5 as never)).rejects.toThrow(TypeError);
    expect(await b.poll(0)).toBe(false);
    a.close();
    b.close();
  });

  it('run over a socket connection made without a key, as Python code does by hand', async () => {
    const listener = new Listener({ host: '127.0.0.1', port: 0 });
    const bound = await listener.ready();
    const [client, server] = await within(
      Promise.all([Client(bound), listener.accept()]),
      WAIT_MS,
      'connect',
    );
    try {
      await within(
        Promise.all([deliverChallenge(server, 'k'), answerChallenge(client, 'k')]),
        WAIT_MS,
        'handshake',
      );
      client.send(1);
      await expect(server.recv()).resolves.toBe(1);
    } finally {
      client.close();
      server.close();
      listener.close();
    }
  });
});

describe('socket Connection#fileno()', () => {
  it('is the descriptor of an open socket, and refuses after close()', async () => {
    const listener = new Listener(undefined, { authkey: 'k' });
    const bound = await listener.ready();
    const [client, server]: [Connection, Connection] = await within(
      Promise.all([Client(bound, { authkey: 'k' }), listener.accept()]),
      WAIT_MS,
      'connect',
    );
    try {
      for (const conn of [client, server]) {
        const fd = conn.fileno();
        expect(Number.isInteger(fd) && fd >= 0).toBe(true);
        expect(fstatSync(fd).isSocket()).toBe(true);
      }
      expect(client.fileno()).not.toBe(server.fileno());
    } finally {
      client.close();
      server.close();
      listener.close();
    }
    expect(() => client.fileno()).toThrow(new StateError('handle is closed'));
  });
});
