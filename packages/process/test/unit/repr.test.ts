import { inspect } from 'node:util';
import { Process } from '../../src/process.js';

const parent = String(process.pid);

describe('repr: Process before start and after close', () => {
  it('util.inspect and String() give Python’s BaseProcess repr', () => {
    const p = new Process({ target: () => undefined, name: 'job' });
    expect(inspect(p)).toBe(`<Process name='job' parent=${parent} initial>`);
    expect(String(p)).toBe(inspect(p));
    p.daemon = true;
    expect(inspect(p)).toBe(`<Process name='job' parent=${parent} initial daemon>`);
    p.close();
    expect(inspect(p)).toBe(`<Process name='job' parent=${parent} closed daemon>`);
    expect(String(p)).toBe(inspect(p));
  });
});
