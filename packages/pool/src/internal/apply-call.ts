/**
 * `apply` / `applyAsync`: one job that is its own owner. Mirrors
 * `multiprocessing.pool.ApplyResult`, minus its public face.
 */
import { callUser, settleAsyncResult, type AsyncResult } from '../async-result.js';
import { kEventsFlag, kOneArgFlag, kPostableFlag, kReportStartFlag } from './protocol.js';
import { Job, type JobOwner } from './job.js';
import type { Admission, Admitted } from './admission.js';
import type { Scheduler } from './scheduler.js';
import { allPrimitive, prepare, type CallSettings } from './call-wire.js';
import { followSignal } from './call-signal.js';

/** Where a single call's outcome goes: an AsyncResult, or a promise's resolvers. */
export type ApplySink<R> =
  | { readonly result: AsyncResult<R> }
  | { readonly resolve: (value: R) => void; readonly reject: (error: unknown) => void };

/** `apply` / `applyAsync`: one job that is its own owner. */
export class ApplyCall<R> extends Job implements JobOwner, Admitted {
  finished = false;
  readonly timeoutMs: number | undefined;
  readonly #sink: ApplySink<R>;
  readonly #onEvent: ((value: unknown) => void) | undefined;
  #scheduler: Scheduler | undefined;
  #unsubscribe: (() => void) | undefined = undefined;
  /** The pool's maxQueue limit, if it has one. */
  #gate: Admission | undefined = undefined;
  /** Units of the limit this call holds (0 or 1). */
  #held = 0;

  constructor(
    scheduler: Scheduler,
    fnId: number,
    args: readonly unknown[],
    settings: CallSettings,
    sink: ApplySink<R>,
    gate?: Admission,
  ) {
    let payload: unknown = args;
    let mode = settings.timeoutMs === undefined ? 0 : kReportStartFlag;
    if (settings.onEvent !== undefined) mode |= kEventsFlag;
    let transfer = settings.transfer;
    if (
      args.length === 1 &&
      (typeof args[0] !== 'object' || args[0] === null) &&
      typeof args[0] !== 'function'
    ) {
      payload = args[0];
      mode |= kOneArgFlag;
    } else if (!allPrimitive(args)) {
      const [converted, postable, ports] = prepare(args, 'args', settings.crossProcess);
      payload = converted;
      if (postable) mode |= kPostableFlag;
      if (ports.length > 0) transfer = [...ports, ...(transfer ?? [])];
    }
    super(
      scheduler.newJobId(),
      null,
      fnId,
      mode,
      payload,
      transfer !== undefined && transfer.length > 0 ? transfer : undefined,
      0,
      1,
    );
    this.#sink = sink;
    this.#onEvent = settings.onEvent;
    this.timeoutMs = settings.timeoutMs;
    if (settings.signal !== undefined) {
      const unsubscribe = followSignal(settings.signal, this, (reason) => {
        this.#abort(reason);
      });
      if (unsubscribe === undefined) return;
      this.#scheduler = scheduler;
      this.#unsubscribe = unsubscribe;
    }
    if (gate === undefined) {
      scheduler.enqueue(this);
      return;
    }
    this.#scheduler = scheduler;
    this.#gate = gate;
    gate.admit(this, 1, 'apply');
  }

  /** The maxQueue limit let it in. */
  admitted(): void {
    this.#held = 1;
    this.#scheduler?.enqueue(this);
  }

  #abort(reason: Error): void {
    if (this.finished) return;
    this.fail(reason);
    this.#scheduler?.abortJobs([this], reason);
  }

  event(_job: Job, value: unknown): void {
    if (!this.finished && this.#onEvent !== undefined) callUser(this.#onEvent, value);
  }

  settle(_job: Job, ok: boolean, value: unknown): void {
    if (this.finished) return;
    this.finished = true;
    this.#unsubscribe?.();
    if (this.#gate !== undefined) {
      // Its unit frees up (or, if it was still waiting, the calls behind it may go).
      const held = this.#held;
      this.#held = 0;
      this.#gate.release(held);
    }
    const sink = this.#sink;
    if ('result' in sink) settleAsyncResult(sink.result, ok, value);
    else if (ok) sink.resolve(value as R);
    else sink.reject(value);
  }

  fail(error: Error): void {
    this.settle(this, false, error);
  }
}
