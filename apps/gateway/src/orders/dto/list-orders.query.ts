import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { ORDER_LEDGER_STATES, type OrderLedgerState } from '@app/persistence';

/** Query of `GET /connections/:id/orders`. */
export class ListOrdersQuery {
  @ApiPropertyOptional({ enum: ORDER_LEDGER_STATES })
  @IsOptional()
  @IsIn(ORDER_LEDGER_STATES)
  state?: OrderLedgerState;

  @ApiPropertyOptional({ default: 50, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit = 50;

  @ApiPropertyOptional({ default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset = 0;
}
