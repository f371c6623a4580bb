/**
 * The broker thread of a process that sends shared objects to other
 * processes (internal/remote/exporter.ts starts it). See broker-server.ts.
 */
import { workerData } from 'node:worker_threads';
import { runBroker, type BrokerData } from '../internal/remote/broker-server.js';

runBroker(workerData as BrokerData);
