import { Process, moduleRef } from '@multiprocessing/process';
import { Pipe, Queue } from '@multiprocessing/queue';
import type * as Tasks from './tasks.js';
import type { Report } from './tasks.js';

const tasks = moduleRef<typeof Tasks>(new URL('./tasks.js', import.meta.url));

const [left, right] = Pipe(); // duplex: both ends send and receive
const report = new Queue<Report>();
const pinger = new Process({ target: tasks.ping, args: [left, 3, report] });
const ponger = new Process({ target: tasks.pong, args: [right, report] });
pinger.start();
ponger.start();
// Each worker has its own handle on its end now. Close the parent's, or the pipe stays open
// after the pinger closes its end, and the ponger never sees EOF.
left.close();
right.close();

await pinger.join();
await ponger.join();

// Print each worker's reports in the order it made them.
const reports: Report[] = [];
while (!report.empty()) reports.push(await report.get());
for (const who of ['ping', 'pong'] as const) {
  for (const [from, line] of reports) if (from === who) console.log(`${who}: ${line}`);
}
console.log('exit codes:', [pinger.exitcode, ponger.exitcode]);
report.close();
