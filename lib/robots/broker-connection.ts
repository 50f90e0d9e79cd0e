/**
 * Where the broker is: `RPA_VISION_BROKER` (or settings `rpaVision.broker.url`) as a Redis URL,
 * `redis://[user:password@]host:port[/db]`, or `rediss://…` for TLS. A password travels in the
 * URL or in `RPA_VISION_BROKER_PASSWORD` (so it stays out of process listings); a robot's own
 * Redis ACL user is the URL's user name. Without a URL nothing of this folder runs.
 */
import fs from 'fs';
import type { RedisOptions } from 'ioredis';

export class BrokerConfigError extends Error {
  override name = 'BrokerConfigError';
}

export interface BrokerOptions {
  /** CA file for a private certificate authority (`RPA_VISION_BROKER_CA`). */
  caFile?: string;
  /** Overrides the URL's password (`RPA_VISION_BROKER_PASSWORD`). */
  password?: string;
}

/** The broker URL of the environment, or undefined when none is configured. */
export function brokerUrlFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const url = env.RPA_VISION_BROKER?.trim();
  return url ? url : undefined;
}

/** ioredis options for the URL; BullMQ needs `maxRetriesPerRequest: null` on its connections. */
export function brokerConnection(url: string, options: BrokerOptions = {}): RedisOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new BrokerConfigError(`the broker "${redactBrokerUrl(url)}" is not a URL; expected redis://HOST:PORT`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:')
    throw new BrokerConfigError(
      `the broker must be a redis:// or rediss:// URL, got ${parsed.protocol}//; e.g. redis://127.0.0.1:6379`,
    );
  const db = parsed.pathname.replace(/^\//, '');
  if (db && !/^\d+$/.test(db))
    throw new BrokerConfigError(`the broker URL's path must be a database number, got /${db}`);
  const password = options.password ?? process.env.RPA_VISION_BROKER_PASSWORD ?? decodeURIComponent(parsed.password);
  const caFile = options.caFile ?? process.env.RPA_VISION_BROKER_CA;
  return {
    host: parsed.hostname || '127.0.0.1',
    port: parsed.port ? Number(parsed.port) : 6379,
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(password ? { password } : {}),
    ...(db ? { db: Number(db) } : {}),
    ...(parsed.protocol === 'rediss:'
      ? { tls: { servername: parsed.hostname, ...(caFile ? { ca: fs.readFileSync(caFile) } : {}) } }
      : {}),
    maxRetriesPerRequest: null,
    // Reconnects forever, at most every 2 s: a broker that comes back is found again by itself.
    retryStrategy: (times) => Math.min(times * 200, 2000),
  };
}

/** The URL without its password, for logs and errors. */
export function redactBrokerUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}
