// A threads.js worker exposes an object of functions; the main thread calls them as methods.
import { expose } from 'threads/worker';
import { countPrimes, square } from './tasks.mjs';

expose({ square, countPrimes });
