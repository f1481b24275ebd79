import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { RUN_STATUSES, SYNC_KINDS, type RunStatus, type SyncKind } from '@app/contracts';

export class ListRunsQuery {
  @ApiPropertyOptional({ enum: SYNC_KINDS })
  @IsOptional()
  @IsIn(SYNC_KINDS)
  kind?: SyncKind;

  @ApiPropertyOptional({ enum: RUN_STATUSES })
  @IsOptional()
  @IsIn(RUN_STATUSES)
  status?: RunStatus;

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
