import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { ORDER_LEDGER_STATES, type OrderLedgerState } from '@app/persistence';
import { PageQuery } from '../../shared/page.query';

/** Query of `GET /connections/:id/orders`. */
export class ListOrdersQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ORDER_LEDGER_STATES })
  @IsOptional()
  @IsIn(ORDER_LEDGER_STATES)
  state?: OrderLedgerState;
}
