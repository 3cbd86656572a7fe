import type { TestProject } from 'vitest/node';
import { postgresAvailable, startPostgres, startRedis, type TestServer } from './servers.js';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
    /** admin URL of a throwaway PostgreSQL server, or '' when initdb/pg_ctl are not installed */
    postgresUrl: string;
  }
}

/** One real Redis and (where installed) one real PostgreSQL server for the whole run. */
export default async function setup(project: TestProject) {
  const servers: TestServer[] = [];
  const redis = await startRedis();
  servers.push(redis);
  project.provide('redisUrl', redis.url);
  if (postgresAvailable()) {
    const pg = await startPostgres();
    servers.push(pg);
    project.provide('postgresUrl', pg.url);
  } else {
    project.provide('postgresUrl', '');
    console.warn(
      '\n*** PostgreSQL server tests SKIPPED: initdb/pg_ctl not found (apt-get install -y postgresql). PGlite tests still run. ***\n',
    );
  }
  return async () => {
    for (const s of servers.reverse()) await s.stop();
  };
}
