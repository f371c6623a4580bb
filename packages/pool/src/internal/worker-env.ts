/**
 * What a pool worker learns from its parent at launch, shared by the
 * modules of the worker entry (see WorkerData).
 */
import { getLaunchData } from '@multiprocessing/process/internal/child';
import type { WorkerData } from './protocol.js';

export const data = getLaunchData<WorkerData>();
/** The progress slots shared with the parent (threads; see WorkerData.progress). */
export const progress = data.progress === null ? undefined : new Int32Array(data.progress);
export const crossProcess = data.crossProcess;
/**
 * Send each result at once: under the 'process' start method, messages a
 * child wrote just before it died may be lost, and the parent must know
 * which task was running.
 */
export const flushEach = progress === undefined;
