import { replaceBlock } from '../../src/harness/readme.js';

describe('replaceBlock', () => {
  it('replaces only what lies between the markers', () => {
    const text = '# Title\n\n<!-- bench:start -->\nold table\n<!-- bench:end -->\n\nmore\n';
    expect(replaceBlock(text, '| new |\n')).toBe(
      '# Title\n\n<!-- bench:start -->\n| new |\n<!-- bench:end -->\n\nmore\n',
    );
  });

  it('is idempotent', () => {
    const once = replaceBlock('a <!-- bench:start --><!-- bench:end --> b', 'T') ?? '';
    expect(once).toBe('a <!-- bench:start -->\nT\n<!-- bench:end --> b');
    expect(replaceBlock(once, 'T')).toBe(once);
  });

  it('gives undefined when a marker is missing or they are out of order', () => {
    expect(replaceBlock('no markers', 'x')).toBeUndefined();
    expect(replaceBlock('<!-- bench:end --> <!-- bench:start -->', 'x')).toBeUndefined();
  });
});
