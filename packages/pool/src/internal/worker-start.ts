/**
 * The first module of the pool worker entry. Under 'thread' a pool worker
 * starts directly on the entry's bundle (`entryBootstraps` of `launch()`),
 * so this does the process runtime's bootstrap work (the worker's identity,
 * its error reporting, the parent's loaders) before any other module of the
 * entry reads its launch data. Under 'process' the bootstrap has done it
 * already and this does nothing.
 */
import { startChildEntry } from '@multiprocessing/process/internal/child';

await startChildEntry();
