import { BadRequestException, Controller, Delete, Get, HttpCode, Query } from '@nestjs/common';
import { Public } from '@app/common';
import { CallLog, type CallPage } from './call-log';

/** Read and clear the call log: `GET /_sandbox/calls?since=<seq>&path=<prefix>&limit=<n>`. */
@Public()
@Controller('_sandbox/calls')
export class SandboxCallsController {
  constructor(private readonly calls: CallLog) {}

  @Get()
  list(@Query('since') since?: string, @Query('path') path?: string, @Query('limit') limit?: string): CallPage {
    return this.calls.list({ since: wholeNumber('since', since), pathPrefix: path || undefined, limit: wholeNumber('limit', limit) });
  }

  @Delete()
  @HttpCode(200)
  clear(): { cleared: true } {
    this.calls.clear();
    return { cleared: true };
  }
}

function wholeNumber(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d+$/.test(raw)) throw new BadRequestException(`${name} must be a non-negative integer`);
  return Number(raw);
}
