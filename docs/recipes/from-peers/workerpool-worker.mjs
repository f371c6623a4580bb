// A workerpool worker script registers the functions the pool may call, by name.
import workerpool from 'workerpool';
import { countPrimes, square } from './tasks.mjs';

workerpool.worker({ square, countPrimes });
