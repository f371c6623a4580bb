/**
 * Addresses and authkeys of listeners and managers. Mirrors the address
 * families of `multiprocessing.connection`: a path string is an AF_UNIX
 * socket, `{host, port}` is AF_INET. Python's `None` (an arbitrary address)
 * is a fresh Unix socket in a private temp directory.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A TCP address. `port: 0` picks a free port. */
export interface TcpAddress {
  /** The host name or IP address. */
  readonly host: string;
  /** The TCP port; 0 picks a free one. */
  readonly port: number;
}

/** A Unix domain socket path, or a TCP `{host, port}`. */
export type Address = string | TcpAddress;

/** What an authkey may be given as; a string is taken as its UTF-8 bytes. */
export type AuthKey = Uint8Array | string;

/** Checks an address argument and returns it in canonical form. */
export function checkAddress(address: unknown, argName = 'address'): Address {
  if (typeof address === 'string') {
    if (address === '') throw new TypeError(`${argName} must not be empty`);
    return address;
  }
  if (typeof address === 'object' && address !== null) {
    const { host, port } = address as Partial<TcpAddress>;
    if (typeof host !== 'string' || host === '') {
      throw new TypeError(`${argName}.host must be a non-empty string`);
    }
    if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) {
      throw new RangeError(`${argName}.port must be an integer from 0 to 65535, got ${String(port)}`);
    }
    return { host, port };
  }
  throw new TypeError(
    `${argName} must be a socket path (string) or {host, port}, got ${address === null ? 'null' : typeof address}`,
  );
}

/** A stable text key for an address (for connection caches). */
export function addressKey(address: Address): string {
  return typeof address === 'string' ? `unix:${address}` : `tcp:${address.host}:${String(address.port)}`;
}

/** The address as text, for messages. */
export function formatAddress(address: Address): string {
  return typeof address === 'string' ? address : `${address.host}:${String(address.port)}`;
}

/** The address as Python prints it: `'/tmp/sock'` or `('127.0.0.1', 5000)`. */
export function reprAddress(address: Address): string {
  return typeof address === 'string' ? `'${address}'` : `('${address.host}', ${String(address.port)})`;
}

/** True when both name the same endpoint. */
export function sameAddress(a: Address, b: Address): boolean {
  return addressKey(a) === addressKey(b);
}

/**
 * A fresh Unix socket path in a private temp directory (Python's
 * `arbitrary_address('AF_UNIX')`: `pymp-…/listener-…`).
 */
export function arbitraryAddress(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mp-'));
  return join(dir, `listener-${randomBytes(4).toString('hex')}`);
}

/** Removes a socket made by {@link arbitraryAddress} and its directory. */
export function removeArbitraryAddress(path: string): void {
  try {
    rmSync(dirname(path), { recursive: true, force: true });
  } catch {
    // Already gone: nothing to clean.
  }
}

/**
 * The authkey as bytes (a copy).
 *
 * @throws {TypeError} when it is neither bytes nor a string.
 * @throws {RangeError} when it is empty: an empty key is no secret, since
 *   anyone who can reach the address can compute its digests.
 */
export function toAuthKey(key: unknown, argName = 'authkey'): Uint8Array {
  let bytes: Uint8Array;
  if (typeof key === 'string') {
    bytes = new Uint8Array(Buffer.from(key, 'utf8'));
  } else if (ArrayBuffer.isView(key) && !(key instanceof DataView)) {
    bytes = Uint8Array.from(new Uint8Array(key.buffer, key.byteOffset, key.byteLength));
  } else {
    throw new TypeError(
      `${argName} must be a Uint8Array, a Buffer or a string, got ${key === null ? 'null' : typeof key}`,
    );
  }
  if (bytes.byteLength === 0) {
    throw new RangeError(`${argName} must not be empty (at least 1 byte): an empty key authenticates anyone`);
  }
  return bytes;
}
