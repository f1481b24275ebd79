import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isUnreachable, outages } from '@app/common';

interface PoolEvents {
  on(event: 'connect', listener: () => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
}

/**
 * PostgreSQL's outage, from the connection pool's side: a new connection made is the outage's end
 * (its start is met by whoever queries: the runner, the gateway's error filter), and an idle
 * connection cut by the server (a restart) its start, logged once by `outages`.
 */
@Injectable()
export class PostgresOutageWatch implements OnApplicationBootstrap {
  constructor(private readonly dataSource: DataSource) {}

  onApplicationBootstrap(): void {
    const pool = (this.dataSource.driver as unknown as { master?: PoolEvents }).master;
    if (!pool?.on) return;
    pool.on('connect', () => outages.recovered('PostgreSQL'));
    pool.on('error', (err) => isUnreachable(err) && outages.failed('PostgreSQL', err));
  }
}
