import { inspect } from 'node:util';
import { kInspect } from '../../src/index.js';

describe('kInspect', () => {
  it('is the registered symbol util.inspect calls', () => {
    expect(kInspect).toBe(inspect.custom);
    expect(kInspect).toBe(Symbol.for('nodejs.util.inspect.custom'));
    const shown = { [kInspect]: () => '<Shown>' };
    expect(inspect(shown)).toBe('<Shown>');
  });
});
