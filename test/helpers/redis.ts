/** The specs' Redis is the benchmarks' (bench/redis-server.ts): one launcher for both. */
export { RedisServer } from '../../bench/redis-server';
