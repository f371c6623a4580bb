/** captureOutput's line cutting (pure logic: no worker starts). */
import { WorkerOutput, type OutputSink } from '../../src/internal/output-lines.js';

function collect(): { lines: [string, string, string][]; sink: OutputSink } {
  const lines: [string, string, string][] = [];
  return {
    lines,
    sink: (line, info) => {
      lines.push([info.worker, info.stream, line]);
    },
  };
}

describe('WorkerOutput', () => {
  it('hands on whole lines, holding a line cut across chunks until its newline', () => {
    const { lines, sink } = collect();
    const out = new WorkerOutput('PoolWorker-7', sink);
    out.write('stdout', Buffer.from('one\ntw'));
    expect(lines).toEqual([['PoolWorker-7', 'stdout', 'one']]);
    out.write('stdout', Buffer.from('o\nthree\n\nfour'));
    expect(lines.map((l) => l[2])).toEqual(['one', 'two', 'three', '']);
    out.end();
    expect(lines.map((l) => l[2])).toEqual(['one', 'two', 'three', '', 'four']);
  });

  it('keeps stdout and stderr apart, and a CRLF ending is a line ending', () => {
    const { lines, sink } = collect();
    const out = new WorkerOutput('PoolWorker-1', sink);
    out.write('stdout', 'a');
    out.write('stderr', 'b\r\n');
    out.write('stdout', 'c\n');
    expect(lines).toEqual([
      ['PoolWorker-1', 'stderr', 'b'],
      ['PoolWorker-1', 'stdout', 'ac'],
    ]);
  });

  it('decodes a UTF-8 character split between chunks', () => {
    const { lines, sink } = collect();
    const out = new WorkerOutput('PoolWorker-1', sink);
    const bytes = Buffer.from('é€\n');
    out.write('stdout', bytes.subarray(0, 1));
    out.write('stdout', bytes.subarray(1, 3));
    out.write('stdout', bytes.subarray(3));
    expect(lines.map((l) => l[2])).toEqual(['é€']);
  });

  it('end() without a partial line hands on nothing', () => {
    const { lines, sink } = collect();
    const out = new WorkerOutput('PoolWorker-1', sink);
    out.write('stdout', 'x\n');
    out.end();
    expect(lines).toHaveLength(1);
  });
});
