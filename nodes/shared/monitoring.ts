/**
 * The process-wide monitoring (logger, metrics, analytics) of the runtime's data directory,
 * for our nodes and the admin API. Survives redeploys: see lib/monitoring/index.ts.
 */
import type { NodeAPI } from 'node-red';
import { getMonitoring, type Monitoring } from '../../lib/monitoring';
import { dataDir, runtimeStore } from './runtime';

export function runtimeMonitoring(RED: NodeAPI): Monitoring {
  return getMonitoring(dataDir(RED), () => runtimeStore(RED));
}
