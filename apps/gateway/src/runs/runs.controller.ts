import { Controller, Get, NotFoundException, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ConnectionRepository, SyncRunRepository } from '@app/persistence';
import { ListEventsQuery, ListRunsQuery } from './dto/list-runs.query';
import { toEventView, toRunView, type EventView, type RunView } from './run.view';

@ApiTags('runs')
@ApiSecurity('api-key')
@Controller()
export class RunsController {
  constructor(
    private readonly runs: SyncRunRepository,
    private readonly connections: ConnectionRepository,
  ) {}

  @Get('connections/:id/runs')
  async listForConnection(@Param('id', ParseUUIDPipe) id: string, @Query() query: ListRunsQuery): Promise<{ items: RunView[]; total: number }> {
    if (!(await this.connections.findById(id))) throw new NotFoundException(`no connection ${id}`);
    const { items, total } = await this.runs.listForConnection(id, query);
    return { items: items.map(toRunView), total };
  }

  @Get('runs/:id')
  async get(@Param('id', ParseUUIDPipe) id: string): Promise<RunView> {
    const run = await this.runs.findById(id);
    if (!run) throw new NotFoundException(`no run ${id}`);
    return toRunView(run);
  }

  @Get('runs/:id/events')
  async events(@Param('id', ParseUUIDPipe) id: string, @Query() query: ListEventsQuery): Promise<{ items: EventView[]; nextAfter: string | null }> {
    if (!(await this.runs.findById(id))) throw new NotFoundException(`no run ${id}`);
    const events = await this.runs.listEvents(id, query.after, query.limit);
    const nextAfter = events.length === query.limit ? events[events.length - 1].id : null;
    return { items: events.map(toEventView), nextAfter };
  }
}
