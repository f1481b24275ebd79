import { BadRequestException, Body, Controller, Delete, Get, HttpCode, Post } from '@nestjs/common';
import { Public } from '@app/common';
import { FaultInjector } from './fault-injector';
import { parseFaultConfig } from './fault-rule';

/** The fault switchboard: POST replaces the rules, DELETE clears them, GET shows them with their counts. */
@Public()
@Controller('_sandbox/faults')
export class SandboxFaultsController {
  constructor(private readonly faults: FaultInjector) {}

  @Get()
  show() {
    return this.faults.describe();
  }

  @Post()
  @HttpCode(200)
  replace(@Body() body: unknown) {
    const { config, problems } = parseFaultConfig(body);
    if (!config) throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: problems });
    this.faults.configure(config);
    return this.faults.describe();
  }

  @Delete()
  @HttpCode(200)
  clear() {
    this.faults.clear();
    return this.faults.describe();
  }
}
