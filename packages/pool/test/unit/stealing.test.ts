import { jest } from '@jest/globals';
import { StallWatch, stalledWorkers } from '../../src/internal/stealing.js';
import { kStallMs, type WorkerSlot } from '../../src/internal/worker-slot.js';

/** The fields the stall check reads. */
function slot(fields: { inFlight: number; retiring?: boolean; idle?: boolean; slots?: number }): WorkerSlot {
  return {
    slots: fields.slots ?? 1,
    ready: true,
    retiring: fields.retiring ?? false,
    inFlight: { length: fields.inFlight },
    lastDoneAt: 0,
    canTake: () => fields.idle === true,
  } as unknown as WorkerSlot;
}

describe('work stealing and maxTasksPerChild', () => {
  it('takes from a stuck worker, but never from one retiring after its last tasks', () => {
    const stuck = slot({ inFlight: 2 });
    const retiring = slot({ inFlight: 2, retiring: true });
    expect([...stalledWorkers([stuck, retiring], kStallMs + 1)]).toEqual([stuck]);
  });

  it('a worker running several tasks at once is stuck only when it holds more than it runs', () => {
    const full = slot({ inFlight: 4, slots: 4 });
    const over = slot({ inFlight: 5, slots: 4 });
    expect([...stalledWorkers([full, over], kStallMs + 1)]).toEqual([over]);
    jest.useFakeTimers();
    try {
      let fired = 0;
      const watch = new StallWatch(true, () => fired++);
      watch.watch([slot({ inFlight: 0, idle: true }), full], 0, undefined);
      jest.advanceTimersByTime(kStallMs * 10);
      expect(fired).toBe(0);
      watch.watch([slot({ inFlight: 0, idle: true }), over], 0, undefined);
      jest.advanceTimersByTime(kStallMs * 10);
      expect(fired).toBe(1);
    } finally {
      jest.useRealTimers();
    }
  });

  it('does not arm the check when the only loaded worker is retiring', () => {
    jest.useFakeTimers();
    try {
      let fired = 0;
      const watch = new StallWatch(true, () => fired++);
      watch.watch([slot({ inFlight: 0, idle: true }), slot({ inFlight: 2, retiring: true })], 0, 2);
      jest.advanceTimersByTime(kStallMs * 10);
      expect(fired).toBe(0);
      watch.watch([slot({ inFlight: 0, idle: true }), slot({ inFlight: 2 })], 0, 2);
      jest.advanceTimersByTime(kStallMs * 10);
      expect(fired).toBe(1);
    } finally {
      jest.useRealTimers();
    }
  });
});
