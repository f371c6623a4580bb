import { inspect } from 'node:util';
import { getContext, moduleRef, type Process, type StartMethod } from '@multiprocessing/process';
import { openInbox, type Inbox } from '../helpers.js';
import type * as Tasks from '../fixtures/tasks.mjs';

const tasks = moduleRef<typeof Tasks>(new URL('../fixtures/tasks.mjs', import.meta.url));
const parent = String(process.pid);

let inbox: Inbox;
const made: Process[] = [];

beforeEach(async () => {
  inbox = await openInbox();
});

afterEach(async () => {
  for (const p of made.splice(0)) {
    p.kill();
    await p.join(30);
  }
  await inbox.close();
});

describe.each<StartMethod>(['thread', 'process'])(
  'repr: Process [%s] while it runs and after',
  (startMethod) => {
    const { Process: P } = getContext(startMethod);

    it('started, then stopped with its exit code', async () => {
      const p = new P({ target: tasks.hold, args: [inbox.path], name: 'held', daemon: true });
      made.push(p);
      p.start();
      const { pid } = (await inbox.next()) as { pid: number };
      // Under 'thread' the pid is the whole program's, so the repr leaves it out.
      const pidPart = startMethod === 'process' ? `pid=${String(pid)} ` : '';
      expect(inspect(p)).toBe(`<Process name='held' ${pidPart}parent=${parent} started daemon>`);
      expect(String(p)).toBe(inspect(p));
      p.terminate();
      await p.join(30);
      expect(inspect(p)).toBe(
        `<Process name='held' ${pidPart}parent=${parent} stopped exitcode=-SIGTERM daemon>`,
      );
      expect(String(p)).toBe(inspect(p));
    });

    it('stopped exitcode=1 after process.exit(1)', async () => {
      const p = new P({ target: tasks.exitWith, args: [1], name: 'failing' });
      made.push(p);
      p.start();
      await p.join(30);
      expect(inspect(p)).toMatch(
        new RegExp(`^<Process name='failing' (pid=\\d+ )?parent=${parent} stopped exitcode=1>$`),
      );
    });
  },
);
