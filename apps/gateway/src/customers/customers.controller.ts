import { Controller, Get, NotFoundException, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiParam, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ConnectionRepository, CustomerStateRepository } from '@app/persistence';
import { ListCustomersQuery } from './dto/list-customers.query';
import { toCustomerStateView, type CustomerStateView } from './customer-state.view';

/** JOOR's customer codes are at most 50 characters. */
const MAX_CODE = 50;

/** A connection's customers as customer sync left them: what JOOR shows of each, and why not when it does not. */
@ApiTags('customers')
@ApiSecurity('api-key')
@Controller('connections/:id/customers')
export class CustomersController {
  constructor(
    private readonly connections: ConnectionRepository,
    private readonly states: CustomerStateRepository,
  ) {}

  /** By JOOR code (customers without one last); `state` filters (`pending`, `active`, `failed`, `skipped`). */
  @Get()
  async list(@Param('id', ParseUUIDPipe) id: string, @Query() query: ListCustomersQuery): Promise<{ items: CustomerStateView[]; total: number }> {
    await this.connectionOr404(id);
    const { items, total } = await this.states.list(id, query);
    return { items: items.map(toCustomerStateView), total };
  }

  /** One customer by its JOOR code; when AMC gives the code to several customers (all refused), the others are named in `sameCodeAs`. */
  @Get(':code')
  @ApiParam({ name: 'code', description: 'JOOR customer code' })
  async get(@Param('id', ParseUUIDPipe) id: string, @Param('code') code: string): Promise<CustomerStateView & { sameCodeAs?: string[] }> {
    await this.connectionOr404(id);
    const rows = code.length > 0 && code.length <= MAX_CODE ? await this.states.findByCode(id, code) : [];
    if (rows.length === 0) throw new NotFoundException(`no customer with JOOR code ${code} in this connection`);
    const [first, ...others] = rows;
    return { ...toCustomerStateView(first), ...(others.length ? { sameCodeAs: others.map((o) => o.amcCustomerId) } : {}) };
  }

  private async connectionOr404(id: string): Promise<void> {
    if (!(await this.connections.findById(id))) throw new NotFoundException(`no connection ${id}`);
  }
}
