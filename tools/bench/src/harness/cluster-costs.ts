/**
 * What the cluster suite's work costs its redis-server, for sizing a
 * deployment: commands and server CPU time per task of `apply` (ours and
 * raw BullMQ's), all in flight and one at a time, per chunk of a `map`, and
 * per second while idle.
 */
import { moduleRef } from '@multiprocessing/pool';
import type { ClusterRig } from './cluster-rig.js';
import { costBetween, readRedis, type RedisCost } from './redis-stats.js';

const tasks = moduleRef<{ square(x: number): number }>(
  new URL('../../fixtures/cluster-tasks.mjs', import.meta.url),
);

/** Costs per unit of work. */
export interface UnitCost {
  /** Units of work measured. */
  readonly units: number;
  /** Command calls per unit (those inside Lua scripts included). */
  readonly commands: number;
  /** Scripts (EVALSHA / EVAL / FCALL) per unit: the round trips that do the queue's work. */
  readonly scripts: number;
  /** Server CPU time per 1000 units, ms; NaN where /proc cannot be read. */
  readonly cpuMsPer1000: number;
  /** The most called commands, calls per unit. */
  readonly top: readonly (readonly [string, number])[];
}

/** What {@link measureRedisCosts} found. */
export interface RedisCosts {
  /** `apply` of a tiny task, all in flight: per task, ours. */
  readonly applyOurs: UnitCost;
  /** The same through raw BullMQ: per job. */
  readonly applyPeer: UnitCost;
  /** `apply` one at a time: per round trip, ours. */
  readonly roundTripOurs: UnitCost;
  /** `add` one at a time, awaiting each 'completed' event: per round trip, raw BullMQ. */
  readonly roundTripPeer: UnitCost;
  /** A `map` in chunks of {@link RedisCosts.chunksize} items: per chunk. */
  readonly mapChunk: UnitCost;
  readonly chunksize: number;
  /** Ours idle (hosts and caller connected, nothing to do): per second. */
  readonly idle: UnitCost;
  /** One line for the table's note. */
  readonly summary: string;
}

const kScripts = new Set(['evalsha', 'eval', 'evalsha_ro', 'eval_ro', 'fcall', 'fcall_ro']);

function perUnit(cost: RedisCost, units: number): UnitCost {
  let scripts = 0;
  for (const [name, n] of cost.byCommand) if (kScripts.has(name)) scripts += n;
  return {
    units,
    commands: cost.commands / units,
    scripts: scripts / units,
    cpuMsPer1000: cost.cpuMs === undefined ? Number.NaN : (cost.cpuMs * 1000) / units,
    top: cost.byCommand.slice(0, 8).map(([name, n]) => [name, n / units] as const),
  };
}

async function costOf(rig: ClusterRig, units: number, work: () => Promise<unknown>): Promise<UnitCost> {
  const before = await readRedis(rig.admin, rig.redisPid);
  await work();
  return perUnit(costBetween(before, await readRedis(rig.admin, rig.redisPid)), units);
}

/**
 * Measures the costs. It ends the rig's peer on the way (so that the idle
 * and map figures are ours alone), so it comes after every peer figure.
 */
export async function measureRedisCosts(rig: ClusterRig, quick: boolean): Promise<RedisCosts> {
  const n = quick ? 1000 : 4000;
  const items = Array.from({ length: n }, (_, i) => i);
  const applyOurs = await costOf(rig, n, () =>
    Promise.all(items.map((x) => rig.pool.apply(tasks.square, [x]))),
  );
  const applyPeer = await costOf(rig, n, () => rig.peer.jobs(items));
  const trips = quick ? 100 : 400;
  const roundTripOurs = await costOf(rig, trips, async () => {
    for (let i = 0; i < trips; i++) await rig.pool.apply(tasks.square, [i]);
  });
  const roundTripPeer = await costOf(rig, trips, async () => {
    for (let i = 0; i < trips; i++) await rig.peer.one(i);
  });
  await rig.closePeer();
  const idleMs = quick ? 500 : 3000;
  const idle = await costOf(rig, idleMs / 1000, () => new Promise((resolve) => setTimeout(resolve, idleMs)));
  const chunksize = 25;
  const chunks = quick ? 500 : 4000;
  const mapItems = Array.from({ length: chunks * chunksize }, (_, i) => i);
  const mapChunk = await costOf(rig, chunks, () => rig.pool.map(tasks.square, mapItems, { chunksize }));
  const summary =
    `Redis per map chunk: ${mapChunk.commands.toFixed(1)} commands (${mapChunk.scripts.toFixed(1)} scripts), ` +
    `${mapChunk.cpuMsPer1000.toFixed(0)} ms CPU per 1000 chunks`;
  return { applyOurs, applyPeer, roundTripOurs, roundTripPeer, mapChunk, chunksize, idle, summary };
}

function line(label: string, unit: string, c: UnitCost): string {
  const top = c.top.map(([name, n]) => `${name} ${n.toFixed(2)}`).join(', ');
  return (
    `  ${label}: ${c.commands.toFixed(2)} commands/${unit} (${c.scripts.toFixed(2)} scripts), ` +
    `${c.cpuMsPer1000.toFixed(1)} ms redis-server CPU per 1000 ${unit}s, over ${String(c.units)} ${unit}s\n` +
    `    most called per ${unit}: ${top}`
  );
}

/** The costs as lines of text for stderr. */
export function formatCosts(costs: RedisCosts): string {
  return [
    '[cluster] what Redis spends (commands include those run inside Lua scripts):',
    line('ours, apply() of tiny tasks, all in flight', 'task', costs.applyOurs),
    line('raw BullMQ, addBulk of one-item jobs', 'job', costs.applyPeer),
    line('ours, apply() one at a time', 'round trip', costs.roundTripOurs),
    line('raw BullMQ, add() one at a time', 'round trip', costs.roundTripPeer),
    line(`ours, map() in chunks of ${String(costs.chunksize)} items`, 'chunk', costs.mapChunk),
    `  ours idle (hosts and a caller connected): ${costs.idle.commands.toFixed(1)} commands/s ` +
      `(${costs.idle.scripts.toFixed(1)} scripts), ${(costs.idle.cpuMsPer1000 / 1000).toFixed(2)} ms ` +
      `redis-server CPU per second, over ${String(costs.idle.units)} s`,
  ].join('\n');
}
