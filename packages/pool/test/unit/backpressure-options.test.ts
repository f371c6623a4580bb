/**
 * The checks of Pool's maxQueue and onQueueFull, which throw before any
 * worker starts.
 */
import { Pool } from '../../src/pool.js';

describe('Pool maxQueue / onQueueFull arguments', () => {
  it('maxQueue below 0 is a RangeError naming the option and the bound', () => {
    for (const bad of [-1, -0.5, -Infinity]) {
      expect(() => new Pool({ processes: 1, maxQueue: bad })).toThrow(
        new RangeError(`maxQueue must be an integer >= 0 or Infinity, got ${String(bad)}`),
      );
    }
  });

  it('maxQueue that is not an integer (nor Infinity) is a TypeError', () => {
    expect(() => new Pool({ processes: 1, maxQueue: 1.5 })).toThrow(
      new TypeError('maxQueue must be an integer >= 0 or Infinity, got 1.5'),
    );
    expect(() => new Pool({ processes: 1, maxQueue: NaN })).toThrow(
      new TypeError('maxQueue must be an integer >= 0 or Infinity, got NaN'),
    );
    expect(() => new Pool({ processes: 1, maxQueue: '3' as never })).toThrow(
      new TypeError('maxQueue must be an integer >= 0 or Infinity, got string'),
    );
  });

  it("onQueueFull must be 'reject' or 'wait'", () => {
    expect(() => new Pool({ processes: 1, maxQueue: 1, onQueueFull: 'block' as never })).toThrow(
      new TypeError(`onQueueFull must be 'reject' or 'wait', got "block"`),
    );
    expect(() => new Pool({ processes: 1, onQueueFull: true as never })).toThrow(
      new TypeError(`onQueueFull must be 'reject' or 'wait', got boolean`),
    );
  });
});
