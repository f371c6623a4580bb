import { costBetween, parseCommandStats, processCpuMs } from '../../src/harness/redis-stats.js';

describe('parseCommandStats', () => {
  it('reads the calls of each command of INFO commandstats', () => {
    const info =
      '# Commandstats\r\n' +
      'cmdstat_evalsha:calls=12,usec=840,usec_per_call=70.00,rejected_calls=0,failed_calls=0\r\n' +
      'cmdstat_client|setname:calls=3,usec=4,usec_per_call=1.33,rejected_calls=0,failed_calls=0\r\n' +
      'cmdstat_info:calls=2,usec=90,usec_per_call=45.00,rejected_calls=0,failed_calls=0\r\n';
    expect(parseCommandStats(info)).toEqual(
      new Map([
        ['evalsha', 12],
        ['client|setname', 3],
        ['info', 2],
      ]),
    );
  });
});

describe('costBetween', () => {
  it('counts the calls made in between, most called first, without the first reading', () => {
    const before = {
      calls: new Map([
        ['info', 5],
        ['get', 10],
      ]),
      cpuMs: 100,
    };
    const after = {
      calls: new Map([
        ['info', 6],
        ['get', 14],
        ['evalsha', 20],
      ]),
      cpuMs: 130,
    };
    expect(costBetween(before, after)).toEqual({
      commands: 24,
      byCommand: [
        ['evalsha', 20],
        ['get', 4],
      ],
      cpuMs: 30,
    });
  });

  it('has no CPU time when a reading has none', () => {
    const reading = { calls: new Map<string, number>(), cpuMs: undefined };
    expect(costBetween(reading, reading).cpuMs).toBeUndefined();
  });
});

describe('processCpuMs', () => {
  it('reads the CPU time of a process from /proc, and nothing for a process that does not exist', () => {
    if (process.platform !== 'linux') return;
    const ms = processCpuMs(process.pid);
    expect(ms).toBeGreaterThan(0);
    expect(processCpuMs(2 ** 30)).toBeUndefined();
  });
});
