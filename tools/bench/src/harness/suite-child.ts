/**
 * Runs one suite in a process of its own (started by `runner.ts`): imports
 * the module given as argv[2], runs it, sends the outcome to the parent and
 * exits, so that workers a suite left running cannot hold the run up.
 */
import { loadAndRun } from './runner.js';

const path = process.argv[2];
if (path === undefined || process.send === undefined) {
  console.error('usage: forked by the bench runner with <suite.js> <quick|full>');
  process.exit(2);
}
const send = process.send.bind(process);
const message = await loadAndRun(path, { quick: process.argv[3] === 'quick' });
send(message, undefined, {}, () => {
  process.exit(0);
});
