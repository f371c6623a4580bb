/**
 * The examples, in the order of the Python documentation they reproduce, then the demos of the
 * parts that documentation only names. Each id has a module `examples/<id>.js`
 * exporting `main(): Promise<void>`.
 */
export const exampleIds = [
  'scientists-map',
  'scientists-testbed',
  'pool-oversubscribed',
  'lambda-gotcha',
  'remote-error',
  'generic-pool-map',
  'square',
  'power-starmap',
  'process-number',
  'shared-counter',
  'process-vs-pool',
  'cpu-count',
  'square-and-root',
  'process-subclass',
  'pool-pids',
  'exec-func',
  'starmap-product',
  'serial-vs-parallel',
  'queue-evens',
  'value-race',
  'value-lock',
  'shared-memory',
  'manager-list',
  'executor',
  'pipe',
  'joinable-queue',
  'event',
  'semaphore',
  'condition',
  'barrier',
  'manager-dict',
  'remote-manager',
  'cluster-map',
] as const;

export type ExampleId = (typeof exampleIds)[number];
