import { runExamplesUnder, startMethods } from './run-example.js';
import type { ExampleRun } from './run-example.js';

// Under 'process' each lock and value operation of a child is a round trip to the parent's
// broker: value-lock makes 80 000 of them, so the bound is wide.
const boundMs = 400_000;

describe.each(startMethods)('value-lock examples, children started by %s', (method) => {
  let run: ExampleRun;

  beforeAll(async () => {
    run = await runExamplesUnder(
      method,
      [
        'shared-counter',
        'value-race',
        'value-lock',
        'shared-memory',
        'event',
        'semaphore',
        'condition',
        'barrier',
      ],
      boundMs,
    );
  }, boundMs + 10_000);

  function section(id: string): string {
    return run.sections.get(id) ?? '';
  }

  it('run without errors', () => {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });

  it('shared-memory: two handles on one segment, a ShareableList, and a manager whose list two processes fill', () => {
    expect(section('shared-memory')).toBe(
      [
        "array('b', [22, 33, 44, 55, 100])",
        "b'howdy'",
        '-273.154',
        '-78.5',
        'dry ice',
        'RangeError: str of 46 bytes exceeds available storage for existing str (8 bytes)',
        'dry ice 7 6 0',
        'total of squares: 2664667000',
      ].join('\n'),
    );
  });

  it('shared-counter: 4 processes × 1000 locked increments', () => {
    expect(section('shared-counter')).toContain('Final counter: 4000');
  });

  it('value-race: prints the racy value without asserting it', () => {
    expect(section('value-race')).toMatch(/^Value is -?\d+ /m);
  });

  it('value-lock: the lock keeps the value at 1', () => {
    expect(section('value-lock')).toContain('Value is 1');
  });

  it('event: both waiters are released by set()', () => {
    const out = section('event');
    expect(out.match(/: event received/g)).toHaveLength(2);
    expect(out).toContain('Event is set: False');
    expect(out).toContain('Event is set: True');
  });

  it('semaphore: never more than 2 inside', () => {
    expect(section('semaphore')).toContain('never more than 2 inside at once: True');
    expect(section('semaphore')).toContain('Slots free at the end: 2');
  });

  it('condition: the three consumers take the three items', () => {
    expect(section('condition')).toContain('Consumed: 3, left: 0');
  });

  it('barrier: the action runs once and the indexes are distinct', () => {
    const out = section('barrier');
    expect(out.match(/All 3 parties arrived/g)).toHaveLength(1);
    expect(out).toContain('Indexes: [0, 1, 2]');
  });
});
