import { Body, ConflictException, Controller, Delete, Get, HttpCode, NotFoundException, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ConnectionRepository, DuplicateConnectionNameError, type ConnectionEntity } from '@app/persistence';
import { ConnectionSchedules } from '../sync/connection-schedules.service';
import { ConnectionTestService, type ConnectionTestReport } from './connection-test.service';
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
  ) {}

  @Post()
  @ApiCreatedResponse({ description: 'The connection, secrets left out' })
  async create(@Body() body: CreateConnectionDto): Promise<ConnectionView> {
    const { amc, joor, settings } = body;
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
    if (settings) await this.schedules.upsert(updated.id, updated.settings);
    return toConnectionView(updated);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted, with its runs, events, links, cursors and order ledger' })
  async remove(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    if (!(await this.connections.delete(id))) throw new NotFoundException(`no connection ${id}`);
    await this.schedules.remove(id);
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
