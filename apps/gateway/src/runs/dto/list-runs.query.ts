import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { RUN_STATUSES, SYNC_KINDS, type RunStatus, type SyncKind } from '@app/contracts';
import { PageQuery } from '../../shared/page.query';

export class ListRunsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: SYNC_KINDS })
  @IsOptional()
  @IsIn(SYNC_KINDS)
  kind?: SyncKind;

  @ApiPropertyOptional({ enum: RUN_STATUSES })
  @IsOptional()
  @IsIn(RUN_STATUSES)
  status?: RunStatus;
}

export class ListEventsQuery {
  @ApiPropertyOptional({ description: 'return events after this event id (from `nextAfter`)' })
  @IsOptional()
  @Matches(/^\d{1,18}$/, { message: 'after must be an event id' })
  after?: string;

  @ApiPropertyOptional({ default: 100, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit = 100;
}
