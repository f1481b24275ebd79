import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { CUSTOMER_STATES, type CustomerState } from '@app/persistence';
import { PageQuery } from '../../shared/page.query';

/** Query of `GET /connections/:id/customers`. */
export class ListCustomersQuery extends PageQuery {
  @ApiPropertyOptional({ enum: CUSTOMER_STATES })
  @IsOptional()
  @IsIn(CUSTOMER_STATES)
  state?: CustomerState;
}
