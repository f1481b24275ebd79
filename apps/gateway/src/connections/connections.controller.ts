import { Body, ConflictException, Controller, Delete, Get, HttpCode, Inject, NotFoundException, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { APP_CONFIG, type AppConfig } from '@app/common';
import { ConnectionRepository, DuplicateConnectionNameError, type ConnectionEntity } from '@app/persistence';
import { withDefaultSettings } from '@app/contracts';
import { ConnectionSchedules } from '../sync/connection-schedules.service';
import { SyncTriggers } from '../sync/sync-triggers.service';
import { ConnectionControl } from './connection-control.service';
import { ConnectionTestService, type ConnectionTestReport } from './connection-test.service';
import { assertConnectionUrls } from './connection-url-policy';
import { joorAccountProblem, type JoorAccountUser } from './joor-account-share';
import { toConnectionView, type ConnectionView } from './connection.view';
import { CreateConnectionDto } from './dto/create-connection.dto';
import { UpdateConnectionDto } from './dto/update-connection.dto';

@ApiTags('connections')
@ApiSecurity('api-key')
@Controller('connections')
export class ConnectionsController {
  constructor(
    private readonly connections: ConnectionRepository,
    private readonly schedules: ConnectionSchedules,
    private readonly tester: ConnectionTestService,
    private readonly control: ConnectionControl,
    private readonly triggers: SyncTriggers,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post()
  @ApiCreatedResponse({ description: 'The connection, secrets left out' })
  @ApiConflictResponse({ description: 'the name is taken, or another connection keeps its JOOR account' })
  async create(@Body() body: CreateConnectionDto): Promise<ConnectionView> {
    const { amc, joor, settings } = body;
    this.assertUrls(amc, joor);
    await this.assertJoorAccountFree({ id: '', name: body.name, joorV4BaseUrl: joor.v4BaseUrl, joorAccountId: joor.accountId });
    const entity = await this.guardDuplicate(() =>
      this.connections.create(
        {
          name: body.name,
          amcBaseUrl: amc.baseUrl,
          joorV2BaseUrl: joor.v2BaseUrl,
          joorV4BaseUrl: joor.v4BaseUrl,
          joorAuthUrl: joor.authUrl,
          joorAccountId: joor.accountId,
          joorClientId: joor.clientId,
          joorUsername: joor.username,
        },
        { amcToken: amc.token, joorClientSecret: joor.clientSecret, joorPassword: joor.password, joorV2Token: joor.v2Token },
        settings,
      ),
    );
    await this.schedules.upsert(entity.id, entity.settings);
    return toConnectionView(entity);
  }

  private assertUrls(amc: { baseUrl?: string } | undefined, joor: { v2BaseUrl?: string; v4BaseUrl?: string; authUrl?: string } | undefined): void {
    const urls = { 'amc.baseUrl': amc?.baseUrl, 'joor.v2BaseUrl': joor?.v2BaseUrl, 'joor.v4BaseUrl': joor?.v4BaseUrl, 'joor.authUrl': joor?.authUrl };
    assertConnectionUrls(urls, this.config.gateway.connectionHttpHosts);
  }

  /** A JOOR account belongs to one connection (409 otherwise; see joorAccountProblem). */
  private async assertJoorAccountFree(candidate: JoorAccountUser): Promise<void> {
    const problem = joorAccountProblem(candidate, await this.connections.list());
    if (problem) throw new ConflictException(problem);
  }

  @Get()
  @ApiOkResponse({ description: 'Every connection, secrets left out' })
  async list(): Promise<ConnectionView[]> {
    return (await this.connections.list()).map(toConnectionView);
  }

  @Get(':id')
  async get(@Param('id', ParseUUIDPipe) id: string): Promise<ConnectionView> {
    return toConnectionView(await this.require(this.connections.findById(id), id));
  }

  @Patch(':id')
  async update(@Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateConnectionDto): Promise<ConnectionView> {
    const { amc, joor, settings } = body;
    this.assertUrls(amc, joor);
    if (joor?.accountId !== undefined || joor?.v4BaseUrl !== undefined) {
      const current = await this.require(this.connections.findById(id), id);
      await this.assertJoorAccountFree({ id, name: current.name, joorV4BaseUrl: joor.v4BaseUrl ?? current.joorV4BaseUrl, joorAccountId: joor.accountId ?? current.joorAccountId });
    }
    const before = settings?.syncImages ? await this.connections.findById(id) : null;
    const entity = await this.guardDuplicate(() =>
      this.connections.update(id, {
        fields: {
          name: body.name,
          amcBaseUrl: amc?.baseUrl,
          joorV2BaseUrl: joor?.v2BaseUrl,
          joorV4BaseUrl: joor?.v4BaseUrl,
          joorAuthUrl: joor?.authUrl,
          joorAccountId: joor?.accountId,
          joorClientId: joor?.clientId,
          joorUsername: joor?.username,
        },
        secrets: { amcToken: amc?.token, joorClientSecret: joor?.clientSecret, joorPassword: joor?.password, joorV2Token: joor?.v2Token },
        settings,
      }),
    );
    const updated = await this.require(Promise.resolve(entity), id);
    // A paused connection's schedules come back, with these settings, when it is resumed.
    if (settings && !updated.pausedAt) await this.schedules.upsert(updated.id, updated.settings);
    // Images turned on: everything is synced once now, not at the next style change (a paused connection's run waits for the resume).
    if (before && !withDefaultSettings(before.settings).syncImages && withDefaultSettings(updated.settings).syncImages) {
      await this.triggers.queue(updated.id, 'images', { full: true }, { reason: 'syncImages turned on' });
    }
    return toConnectionView(updated);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({
    description: 'Its running syncs stopped (waiting at most CONNECTION_STOP_TIMEOUT_MS), then deleted with its schedules, queued jobs, runs, events, links, cursors and order ledger',
  })
  async remove(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    if (!(await this.control.delete(id))) throw new NotFoundException(`no connection ${id}`);
  }

  @Post(':id/pause')
  @HttpCode(200)
  @ApiOkResponse({
    description:
      'Paused (`pausedAt` set): its schedules stop, its queued jobs wait, a running sync stops at its next batch boundary within seconds, its run ending `cancelled` with what it did recorded. Answers at once; pausing again changes nothing',
  })
  async pause(@Param('id', ParseUUIDPipe) id: string): Promise<ConnectionView> {
    return toConnectionView(await this.require(this.control.pause(id), id));
  }

  @Post(':id/resume')
  @HttpCode(200)
  @ApiOkResponse({
    description: 'Resumed (`pausedAt` null): its schedules are set again and fire at once, its waiting jobs go now (a cancelled manual run goes on as a new run, `details.resumedFrom`)',
  })
  async resume(@Param('id', ParseUUIDPipe) id: string): Promise<ConnectionView> {
    return toConnectionView(await this.require(this.control.resume(id), id));
  }

  @Post(':id/test')
  @HttpCode(200)
  @ApiOkResponse({ description: 'Which part (AMC, JOOR sign-in, JOOR v4, JOOR v2) answers, and why not; about 2 JOOR credits' })
  async test(@Param('id', ParseUUIDPipe) id: string): Promise<ConnectionTestReport> {
    await this.require(this.connections.findById(id), id);
    return this.tester.test(id);
  }

  @Get(':id/schedules')
  @ApiOkResponse({ description: 'The repeating syncs of the connection and their next run' })
  async schedulesOf(@Param('id', ParseUUIDPipe) id: string) {
    await this.require(this.connections.findById(id), id);
    return this.schedules.describe(id);
  }

  private async require(found: Promise<ConnectionEntity | null>, id: string): Promise<ConnectionEntity> {
    const entity = await found;
    if (!entity) throw new NotFoundException(`no connection ${id}`);
    return entity;
  }

  private async guardDuplicate<T>(action: () => Promise<T>): Promise<T> {
    try {
      return await action();
    } catch (err) {
      if (err instanceof DuplicateConnectionNameError) throw new ConflictException(err.message);
      throw err;
    }
  }
}
