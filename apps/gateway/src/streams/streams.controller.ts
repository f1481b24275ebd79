import { Controller, NotFoundException, Param, ParseUUIDPipe, Sse, type MessageEvent } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { Observable } from 'rxjs';
import { RunStreams } from './run-streams.service';

/** Live views of a run and of a connection, as Server-Sent Events (`curl -N -H 'x-api-key: ...' .../runs/<id>/stream`). */
@ApiTags('runs')
@ApiSecurity('api-key')
@Controller()
export class StreamsController {
  constructor(private readonly streams: RunStreams) {}

  @Sse('runs/:id/stream')
  @ApiProduces('text/event-stream')
  @ApiOkResponse({
    description:
      'Server-Sent Events, one JSON object per `data:` line: first `{type: "state", run}` (the run as `GET /runs/:id` shows it), then `run.started`, `run.progress` `{done, total, counts, credits}`, `run.waiting` `{reason}`, `run.finished` `{status, error, ...}`; the stream ends when the run ends (at once, after its state, for a run that had ended)',
  })
  async run(@Param('id', ParseUUIDPipe) id: string): Promise<Observable<MessageEvent>> {
    const stream = await this.streams.run(id);
    if (!stream) throw new NotFoundException(`no run ${id}`);
    return stream;
  }

  @Sse('connections/:id/stream')
  @ApiProduces('text/event-stream')
  @ApiOkResponse({
    description:
      'Server-Sent Events: first `{type: "state", connection: {id, name, pausedAt}, runs}` (its newest runs), then its runs’ events and `connection.paused`, `connection.resumed`; ends with `connection.deleted`',
  })
  async connection(@Param('id', ParseUUIDPipe) id: string): Promise<Observable<MessageEvent>> {
    const stream = await this.streams.connection(id);
    if (!stream) throw new NotFoundException(`no connection ${id}`);
    return stream;
  }
}
