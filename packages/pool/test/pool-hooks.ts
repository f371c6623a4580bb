/**
 * The set-up the pool's integration tests share. Called in a `describe`
 * block, {@link endsPool} ends the pool each test leaves in `t.pool`
 * (terminated, bounded) after the test; {@link poolAndGate} also opens a
 * fresh gate (gate.ts) before each test and closes it after.
 */
import type { Pool } from '@multiprocessing/pool';
import { openGate, type Gate } from './gate.js';
import { within } from './helpers.js';

/** The pool a test made; ended after it. */
export interface PoolHolder {
  pool: Pool | undefined;
}

/** The pool a test made and the gate it was given. */
export interface PoolAndGate extends PoolHolder {
  gate: Gate;
}

async function endPool(t: PoolHolder): Promise<void> {
  if (t.pool) await within(t.pool.terminate(), 30_000, 'pool.terminate()');
  t.pool = undefined;
}

/** Terminates `t.pool` after each test of the block. */
export function endsPool(): PoolHolder {
  const t: PoolHolder = { pool: undefined };
  afterEach(async () => {
    await endPool(t);
  });
  return t;
}

/** A fresh gate in `t.gate` for each test of the block; after it, `t.pool` is terminated and the gate closed. */
export function poolAndGate(): PoolAndGate {
  const t = { pool: undefined } as PoolAndGate;
  beforeEach(async () => {
    t.gate = await openGate();
  });
  afterEach(async () => {
    await endPool(t);
    await t.gate.close();
  });
  return t;
}
