/** The two workers at the two ends of one pipe. Each reports what happens on `report`. */
import { EOFError } from '@multiprocessing/queue';
import type { Connection, Queue } from '@multiprocessing/queue';

export type Report = readonly ['ping' | 'pong', string];

/** Sends `rounds` pings, waits for each pong, then closes its end. */
export function ping(conn: Connection, rounds: number, report: Queue<Report>): void {
  for (let n = 1; n <= rounds; n++) {
    conn.send({ ping: n });
    const reply = conn.recvSync() as { pong: number };
    report.putSync(['ping', `sent ping ${n}, got pong ${reply.pong}`]);
  }
  conn.close();
  report.putSync(['ping', 'closed its end']);
}

/** Answers every ping until the other end is closed, which `recvSync` reports as EOFError. */
export function pong(conn: Connection, report: Queue<Report>): void {
  let answered = 0;
  for (;;) {
    let msg: { ping: number };
    try {
      msg = conn.recvSync() as { ping: number };
    } catch (err) {
      if (!(err instanceof EOFError)) throw err;
      report.putSync(['pong', `EOFError after ${answered} pings: the other end is closed`]);
      break;
    }
    conn.send({ pong: msg.ping });
    answered++;
  }
  conn.close();
}
