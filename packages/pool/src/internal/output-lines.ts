/**
 * Capture of a worker's stdout and stderr (`captureOutput`; no Python
 * equivalent: Python's workers share the parent's file descriptors). The
 * bytes a worker writes are cut into lines, each handed on whole, so lines
 * of different workers never mix within a line.
 */
import { StringDecoder } from 'node:string_decoder';

/** Which of a worker's streams a line came from. */
export type OutputStream = 'stdout' | 'stderr';

/** Where each captured line goes: the line without its newline, and its worker and stream. */
export type OutputSink = (line: string, info: { worker: string; stream: OutputStream }) => void;

/**
 * The sink of `captureOutput: true`: each line to the parent's stream of
 * the same name, prefixed with `[PoolWorker-N] `, in one write.
 */
export const prefixedOutput: OutputSink = (line, info) => {
  const target = info.stream === 'stdout' ? process.stdout : process.stderr;
  target.write(`[${info.worker}] ${line}\n`);
};

/** One stream of one worker: the text of a line not ended yet, and the bytes of a character cut in two. */
class StreamLines {
  readonly #decoder = new StringDecoder('utf8');
  #partial = '';

  constructor(
    private readonly sink: OutputSink,
    private readonly info: { worker: string; stream: OutputStream },
  ) {}

  write(chunk: Buffer | string): void {
    const text = this.#partial + (typeof chunk === 'string' ? chunk : this.#decoder.write(chunk));
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      this.#emit(text.slice(start, nl));
      start = nl + 1;
    }
    this.#partial = start === 0 ? text : text.slice(start);
  }

  /** The stream ended: a last line without a newline is handed on too. */
  end(): void {
    const rest = this.#partial + this.#decoder.end();
    this.#partial = '';
    if (rest !== '') this.#emit(rest);
  }

  #emit(line: string): void {
    try {
      // A CRLF line ending is a line ending too.
      this.sink(line.endsWith('\r') ? line.slice(0, -1) : line, this.info);
    } catch (err) {
      // The user's function threw: an uncaught exception, as from any
      // listener, but never in the middle of the pool's own bookkeeping.
      process.nextTick(() => {
        throw err;
      });
    }
  }
}

/** Cuts one worker's stdout and stderr into lines for `sink`. */
export class WorkerOutput {
  readonly #stdout: StreamLines;
  readonly #stderr: StreamLines;

  constructor(worker: string, sink: OutputSink) {
    this.#stdout = new StreamLines(sink, { worker, stream: 'stdout' });
    this.#stderr = new StreamLines(sink, { worker, stream: 'stderr' });
  }

  /** A chunk the worker wrote to `stream`. */
  write(stream: OutputStream, chunk: Buffer | string): void {
    (stream === 'stdout' ? this.#stdout : this.#stderr).write(chunk);
  }

  /** The worker has exited and its output has all arrived: flush the partial last lines. */
  end(): void {
    this.#stdout.end();
    this.#stderr.end();
  }
}
