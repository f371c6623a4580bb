// The runtime's logger: Python's levels, a threshold, handlers, and
// log_to_stderr's `[LEVEL/processName] message` lines.
import { jest } from '@jest/globals';
import { getLogger, LogLevel, logToStderr, type LogRecord } from '@multiprocessing/all';

describe('getLogger()', () => {
  const log = getLogger();
  const seen: LogRecord[] = [];
  const keep = (r: LogRecord): void => {
    seen.push(r);
  };
  beforeEach(() => {
    seen.length = 0;
    log.addHandler(keep);
  });
  afterEach(() => {
    log.removeHandler(keep);
    log.setLevel('WARNING');
  });

  it('is one logger per thread, at WARNING until set, as Python’s', () => {
    expect(getLogger()).toBe(log);
    expect(log.level).toBe(LogLevel.WARNING);
    log.info('dropped');
    log.warning('kept');
    expect(seen.map((r) => [r.levelName, r.processName, r.message])).toEqual([
      ['WARNING', 'MainProcess', 'kept'],
    ]);
  });

  it('hands records at or above its level to each handler once, and names unnamed levels', () => {
    log.setLevel(LogLevel.SUBDEBUG);
    log.addHandler(keep);
    log.subdebug('a');
    log.debug('b');
    log.log(15, 'c');
    log.critical('d');
    expect(seen.map((r) => `${r.levelName}:${r.message}`)).toEqual([
      'SUBDEBUG:a',
      'DEBUG:b',
      'Level 15:c',
      'CRITICAL:d',
    ]);
    expect(log.isEnabledFor(LogLevel.SUBDEBUG)).toBe(true);
    log.setLevel('ERROR');
    expect(log.isEnabledFor(LogLevel.WARNING)).toBe(false);
  });

  it('keeps logging when a handler throws', () => {
    const bad = (): void => {
      throw new Error('handler failed');
    };
    log.addHandler(bad);
    try {
      expect(() => {
        log.error('still delivered');
      }).not.toThrow();
      expect(seen.map((r) => r.message)).toEqual(['still delivered']);
    } finally {
      log.removeHandler(bad);
    }
  });

  it('refuses a bad level or handler, naming the bound', () => {
    expect(() => {
      log.setLevel('LOUD' as never);
    }).toThrow(/level must be a number or one of NOTSET, SUBDEBUG/);
    expect(() => {
      log.setLevel(-1);
    }).toThrow(new RangeError('level must be an integer >= 0, got -1'));
    expect(() => {
      log.setLevel(1.5);
    }).toThrow(RangeError);
    expect(() => {
      log.setLevel(null as never);
    }).toThrow(TypeError);
    expect(() => {
      log.addHandler('stderr' as never);
    }).toThrow(new TypeError('handler must be a function'));
    expect(log.level).toBe(LogLevel.WARNING);
  });
});

describe('logToStderr()', () => {
  it('writes `[LEVEL/processName] message` lines to stderr, with one handler however often it is called', () => {
    const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const log = logToStderr('INFO');
      expect(logToStderr()).toBe(log);
      log.info('hello');
      log.debug('dropped');
      expect(write.mock.calls.map((c) => c[0])).toEqual(['[INFO/MainProcess] hello\n']);
    } finally {
      write.mockRestore();
      getLogger().setLevel('CRITICAL');
    }
  });
});
