// Two producer processes and two consumer processes share one Queue owned
// by the test process: every item arrives exactly once, and each consumer
// sees each producer's items in the order they were put (FIFO per producer).
import { Queue } from '@multiprocessing/all';
import type * as Fx from '../../fixtures/cross-process/fan-in.mjs';
import { endChildren, exitsOf, fixture, spawn, WAIT_S } from './helpers.js';

const fx = fixture<typeof Fx>('fan-in.mjs');

afterEach(endChildren);

/** Items in all, split evenly between the producers. */
const TOTAL = 100_000;
const PRODUCERS = ['p0', 'p1'];

/** The first index where `list` does not increase, or -1. */
function firstDisorder(list: readonly number[]): number {
  for (let k = 1; k < list.length; k++) if ((list[k] ?? 0) <= (list[k - 1] ?? 0)) return k;
  return -1;
}

it('carries 100 000 items from 2 producers to 2 consumers: none lost, none twice, FIFO per producer', async () => {
  const q = new Queue<Fx.Item>();
  const results = new Queue<Fx.Seen>();
  const perProducer = TOTAL / PRODUCERS.length;
  // The consumers start first and wait on the empty queue.
  const consumers = [spawn(fx('consume'), [q, results]), spawn(fx('consume'), [q, results])];
  const producers = PRODUCERS.map((name) => spawn(fx('produce'), [q, name, perProducer]));
  expect(await exitsOf(producers, 240)).toEqual([0, 0]);
  // Every put reached the queue before its producer ended; the sentinels come last.
  for (const _ of consumers) await q.put(null);
  const reports = [await results.get({ timeout: 240 }), await results.get({ timeout: WAIT_S })];
  expect(await exitsOf(consumers)).toEqual([0, 0]);
  expect(new Set(reports.map((r) => r.pid)).size).toBe(2);

  for (const name of PRODUCERS) {
    const times = new Uint8Array(perProducer);
    const strays: number[] = [];
    for (const report of reports) {
      const list = report.seen[name] ?? [];
      expect(firstDisorder(list)).toBe(-1);
      for (const i of list) {
        if (Number.isInteger(i) && i >= 0 && i < perProducer) times[i] = (times[i] ?? 0) + 1;
        else strays.push(i);
      }
    }
    expect(strays).toEqual([]);
    expect(times.findIndex((n) => n !== 1)).toBe(-1);
  }
  expect(Object.keys(reports[0]?.seen ?? {}).every((name) => PRODUCERS.includes(name))).toBe(true);
  expect(Object.keys(reports[1]?.seen ?? {}).every((name) => PRODUCERS.includes(name))).toBe(true);
  expect(q.qsize()).toBe(0);
}, 600_000);
