/**
 * What a piece of work costs a redis-server: the commands it ran (from
 * `INFO commandstats`, read through ioredis) and the CPU time its process
 * used (utime + stime from /proc/<pid>/stat), before and after. Commands run
 * inside Lua scripts count as well as the scripts themselves.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';

/** A reading of a server's counters. */
export interface RedisReading {
  /** Calls so far, by command (lower case; `evalsha`, `hset`, `client|setname` …). */
  readonly calls: ReadonlyMap<string, number>;
  /** CPU time the server process has used, ms; undefined where /proc cannot be read. */
  readonly cpuMs: number | undefined;
}

/** The difference between two readings. */
export interface RedisCost {
  /** Command calls, all of them. */
  readonly commands: number;
  /** Command calls by command, most called first. */
  readonly byCommand: readonly (readonly [string, number])[];
  /** CPU time of the server process, ms; undefined where /proc cannot be read. */
  readonly cpuMs: number | undefined;
}

let clockTicks: number | undefined;

/** Clock ticks per second of /proc's CPU times (`getconf CLK_TCK`, 100 when that fails). */
function ticksPerSecond(): number {
  if (clockTicks !== undefined) return clockTicks;
  try {
    clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    clockTicks = 100;
  }
  return clockTicks;
}

/** CPU time (user + system) process `pid` has used, ms; undefined when /proc cannot be read. */
export function processCpuMs(pid: number): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${String(pid)}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // Fields after the command name (which may hold spaces): state is the 3rd field, utime the 14th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) return undefined;
  return ((utime + stime) * 1000) / ticksPerSecond();
}

/** Parses `INFO commandstats`: `cmdstat_<name>:calls=<n>,…` lines. */
export function parseCommandStats(info: string): Map<string, number> {
  const calls = new Map<string, number>();
  for (const line of info.split(/\r?\n/)) {
    const m = /^cmdstat_([^:]+):calls=(\d+)/.exec(line);
    if (m?.[1] !== undefined && m[2] !== undefined) calls.set(m[1], Number(m[2]));
  }
  return calls;
}

/** Reads the counters of the server `redis` is connected to, whose process is `pid`. */
export async function readRedis(redis: Redis, pid: number): Promise<RedisReading> {
  const info = await redis.info('commandstats');
  return { calls: parseCommandStats(info), cpuMs: processCpuMs(pid) };
}

/**
 * What happened between two readings. The second reading's own INFO call
 * is not counted (Redis counts a command once it has run).
 */
export function costBetween(before: RedisReading, after: RedisReading): RedisCost {
  const byCommand: [string, number][] = [];
  let commands = 0;
  for (const [name, n] of after.calls) {
    let d = n - (before.calls.get(name) ?? 0);
    if (name === 'info') d -= 1; // the first reading's own call
    if (d <= 0) continue;
    byCommand.push([name, d]);
    commands += d;
  }
  byCommand.sort((a, b) => b[1] - a[1]);
  const cpuMs =
    before.cpuMs === undefined || after.cpuMs === undefined ? undefined : after.cpuMs - before.cpuMs;
  return { commands, byCommand, cpuMs };
}
