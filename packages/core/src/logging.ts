/**
 * The runtime's logger: Python's `multiprocessing.get_logger()` and
 * `log_to_stderr()`. Node has no `logging` module, so this is a small one:
 * levels (Python's numbers), a threshold, and handlers that receive each
 * record. The runtime logs its lifecycle events on it (a child starting its
 * work and exiting, pool workers added and replaced, a manager serving and
 * its connections); nothing is logged until a program asks for it.
 *
 * Each thread and process has its own logger. A child started after
 * `logToStderr()`, or after the level was set, logs to stderr and at that
 * level too, as Python passes them to its children.
 */
import { threadGlobal } from './internal/thread-global.js';

/** Python's level numbers (`logging.DEBUG` …, and multiprocessing's `SUBDEBUG`, `SUBWARNING`). */
export const LogLevel = Object.freeze({
  /** Everything passes. */
  NOTSET: 0,
  /** multiprocessing's level below DEBUG. */
  SUBDEBUG: 5,
  /** Details: a pool's workers added and cleaned up. */
  DEBUG: 10,
  /** Lifecycle: a child starting and exiting, a manager serving. */
  INFO: 20,
  /** multiprocessing's level between INFO and WARNING. */
  SUBWARNING: 25,
  /** The default threshold. */
  WARNING: 30,
  /** Errors. */
  ERROR: 40,
  /** Errors that end the program. */
  CRITICAL: 50,
});

/** A level's name, as `LogLevel` lists them. */
export type LogLevelName = keyof typeof LogLevel;

/** One logged event, as handlers receive it. */
export interface LogRecord {
  /** The level's number. */
  readonly level: number;
  /** `DEBUG`, `INFO` …, or `Level N` for a number without a name (Python's `levelname`). */
  readonly levelName: string;
  /** The logging thread's or process's `currentProcess().name` (Python's `processName`). */
  readonly processName: string;
  /** The text logged. */
  readonly message: string;
  /** `Date.now()` when it was logged. */
  readonly time: number;
}

/** Receives the records at or above the logger's level. */
export type LogHandler = (record: LogRecord) => void;

/** The runtime's logger (see {@link getLogger}). */
export interface Logger {
  /** Records below this level are dropped. @default `LogLevel.WARNING`, as Python's root logger */
  readonly level: number;
  /**
   * Sets the threshold.
   * @throws {TypeError} for a name that is not a level, or a value that is neither a name nor a number.
   * @throws {RangeError} for a negative or non-integer number.
   */
  setLevel(level: number | LogLevelName): void;
  /** Whether a record at `level` would reach the handlers. */
  isEnabledFor(level: number): boolean;
  /**
   * Adds a handler (once: adding it again does nothing).
   * @throws {TypeError} when `handler` is not a function.
   */
  addHandler(handler: LogHandler): void;
  /** Removes a handler added before; does nothing otherwise. */
  removeHandler(handler: LogHandler): void;
  /** Logs `message` at `level`. */
  log(level: number, message: string): void;
  /** Logs at `SUBDEBUG`. */
  subdebug(message: string): void;
  /** Logs at `DEBUG`. */
  debug(message: string): void;
  /** Logs at `INFO`. */
  info(message: string): void;
  /** Logs at `SUBWARNING`. */
  subwarning(message: string): void;
  /** Logs at `WARNING`. */
  warning(message: string): void;
  /** Logs at `ERROR`. */
  error(message: string): void;
  /** Logs at `CRITICAL`. */
  critical(message: string): void;
}

/** How a parent's logging reaches a child it starts. */
export interface LogSettings {
  readonly level: number;
  readonly stderr: boolean;
}

const names = new Map<number, string>(Object.entries(LogLevel).map(([name, n]) => [n, name]));

function toLevel(level: unknown): number {
  if (typeof level === 'string') {
    const n = (LogLevel as Record<string, number | undefined>)[level];
    if (n === undefined) {
      throw new TypeError(
        `level must be a number or one of ${Object.keys(LogLevel).join(', ')}, got '${level}'`,
      );
    }
    return n;
  }
  if (typeof level !== 'number')
    throw new TypeError(`level must be a number or a level name, got ${typeof level}`);
  if (!Number.isInteger(level) || level < 0) {
    throw new RangeError(`level must be an integer >= 0, got ${String(level)}`);
  }
  return level;
}

class RuntimeLogger implements Logger {
  #level: number = LogLevel.WARNING;
  /** Whether the level was set (a child then gets it). */
  touched = false;
  readonly handlers: LogHandler[] = [];
  stderr: LogHandler | undefined;

  get level(): number {
    return this.#level;
  }

  setLevel(level: number | LogLevelName): void {
    this.#level = toLevel(level);
    this.touched = true;
  }

  isEnabledFor(level: number): boolean {
    return level >= this.#level;
  }

  addHandler(handler: LogHandler): void {
    if (typeof handler !== 'function') throw new TypeError('handler must be a function');
    if (!this.handlers.includes(handler)) this.handlers.push(handler);
  }

  removeHandler(handler: LogHandler): void {
    const at = this.handlers.indexOf(handler);
    if (at >= 0) this.handlers.splice(at, 1);
  }

  log(level: number, message: string): void {
    if (this.handlers.length === 0 || !this.isEnabledFor(level)) return;
    const record: LogRecord = {
      level,
      levelName: names.get(level) ?? `Level ${String(level)}`,
      processName: processName(),
      message,
      time: Date.now(),
    };
    for (const handler of [...this.handlers]) {
      try {
        handler(record);
      } catch {
        // A failing handler must not break the runtime that logged.
      }
    }
  }

  subdebug(message: string): void {
    this.log(LogLevel.SUBDEBUG, message);
  }
  debug(message: string): void {
    this.log(LogLevel.DEBUG, message);
  }
  info(message: string): void {
    this.log(LogLevel.INFO, message);
  }
  subwarning(message: string): void {
    this.log(LogLevel.SUBWARNING, message);
  }
  warning(message: string): void {
    this.log(LogLevel.WARNING, message);
  }
  error(message: string): void {
    this.log(LogLevel.ERROR, message);
  }
  critical(message: string): void {
    this.log(LogLevel.CRITICAL, message);
  }
}

const state = threadGlobal('logger', () => ({ logger: undefined as RuntimeLogger | undefined }));

// The process package registers how to read this process's name (core, below it, cannot ask).
const processNameKey = Symbol.for('@multiprocessing/process:currentProcessName');

function processName(): string {
  const read = (globalThis as Record<symbol, unknown>)[processNameKey];
  return typeof read === 'function' ? String((read as () => unknown)()) : 'MainProcess';
}

function logger(): RuntimeLogger {
  return (state.logger ??= new RuntimeLogger());
}

/**
 * The runtime's logger of this thread or process (Python's
 * `multiprocessing.get_logger()`): level `WARNING` and no handler until the
 * program sets them.
 *
 * @see https://docs.python.org/3/library/multiprocessing.html#multiprocessing.get_logger
 */
export function getLogger(): Logger {
  return logger();
}

/** Python's `[%(levelname)s/%(processName)s] %(message)s`. */
function toStderr(record: LogRecord): void {
  process.stderr.write(`[${record.levelName}/${record.processName}] ${record.message}\n`);
}

/**
 * Writes the runtime's log to stderr as `[INFO/Process-1] message`, and sets
 * the level when one is given (Python's `multiprocessing.log_to_stderr()`).
 * Children started afterwards do the same. Returns the logger.
 *
 * @throws {TypeError} / {RangeError} for a bad `level`, as {@link Logger.setLevel}.
 * @see https://docs.python.org/3/library/multiprocessing.html#multiprocessing.log_to_stderr
 */
export function logToStderr(level?: number | LogLevelName): Logger {
  const log = logger();
  if (level !== undefined) log.setLevel(level);
  if (log.stderr === undefined) {
    log.stderr = toStderr;
    log.addHandler(toStderr);
  }
  log.touched = true;
  return log;
}

/** @internal What a child started now inherits; undefined when the program never set up logging. */
export function logSettings(): LogSettings | undefined {
  const log = state.logger;
  if (log?.touched !== true) return undefined;
  return { level: log.level, stderr: log.stderr !== undefined };
}

/** @internal Applies a parent's settings in a child. */
export function applyLogSettings(settings: LogSettings): void {
  const log = logger();
  log.setLevel(settings.level);
  if (settings.stderr) logToStderr();
}

/** @internal The logger when the program set one up, else undefined: the runtime's calls cost nothing then. */
export function runtimeLogger(): Logger | undefined {
  const log = state.logger;
  return log !== undefined && log.handlers.length > 0 ? log : undefined;
}
