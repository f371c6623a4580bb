#!/usr/bin/env node
/**
 * The `multiprocessing-worker` command: a placeholder until the worker that
 * serves a cluster's queue exists, so the package's `bin` resolves. It says
 * so and exits with code 1.
 */
process.stderr.write('multiprocessing-worker: not implemented yet\n');
process.exitCode = 1;
