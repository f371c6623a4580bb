/**
 * @multiprocessing/test-utils: what the packages' tests share. Private and
 * unbuilt: jest compiles it with the test that imports it. It depends on no
 * package of the workspace, so every package (core included) may use it.
 */
export { until, within, withinSeconds } from './within.js';
export { alive } from './pids.js';
export { runCommand, runInMainAndWorker, runNode } from './commands.js';
export type { RunOptions, RunResult } from './commands.js';
export { distJsFiles, distMapProblems } from './dist-maps.js';
export { startWorker, terminateAll } from './workers.js';
export type { TestWorker, StartWorkerOptions } from './workers.js';
export { describeWithRedis, redisServerPath, startRedis } from './redis.js';
export type { RedisServer, StartRedisOptions } from './redis.js';
export { redisCommands, RedisReplyError } from './resp.js';
export type { RedisCommandsOptions, RedisReply } from './resp.js';
export { socketPair, closePair } from './socket-pair.js';
export type { SocketPair } from './socket-pair.js';
