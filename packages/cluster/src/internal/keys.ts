/**
 * The names of what a cluster keeps in Redis, all under `<prefix>:<name>:`,
 * where BullMQ keeps its queue of the same name. Ours start with `_` so they
 * never meet BullMQ's (job ids here never start with `_`).
 */

/** The key names of one cluster `name` under `prefix`. */
export class ClusterKeys {
  constructor(
    readonly prefix: string,
    readonly name: string,
  ) {}

  #base(): string {
    return `${this.prefix}:${this.name}`;
  }

  /** The set of host ids that have announced themselves. */
  hosts(): string {
    return `${this.#base()}:_hosts`;
  }

  /** One host's heartbeat: its process count, expiring unless renewed. */
  host(hostId: string): string {
    return `${this.#base()}:_host:${hostId}`;
  }

  /** A caller's presence: results are pushed for it only while this key lives. */
  client(clientId: string): string {
    return `${this.#base()}:_client:${clientId}`;
  }

  /** The list a caller's results come back on. */
  results(clientId: string): string {
    return `${this.#base()}:_client:${clientId}:results`;
  }

  /** The channel that carries cancels (an abort, a timeout) to the hosts. */
  cancels(): string {
    return `${this.#base()}:_cancel`;
  }
}
