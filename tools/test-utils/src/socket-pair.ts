/** A connected pair of real TCP sockets on 127.0.0.1, for the framing and protocol unit tests. */
import { createServer, connect, type Server, type Socket } from 'node:net';

/** Both ends of a connected pair, and the server that accepted it. */
export interface SocketPair {
  readonly a: Socket;
  readonly b: Socket;
  readonly server: Server;
}

/** Listens on a free port, connects to it and resolves once the server side is accepted. */
export async function socketPair(): Promise<SocketPair> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const accepted = new Promise<Socket>((resolve) => server.once('connection', resolve));
  const a = connect(port, '127.0.0.1');
  const b = await accepted;
  return { a, b, server };
}

/** Ends both sockets and the listening server. */
export function closePair(pair: SocketPair): void {
  pair.a.destroy();
  pair.b.destroy();
  pair.server.close();
}
