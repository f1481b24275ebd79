import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsOptional, IsString, Length } from 'class-validator';

/** Body of `POST /connections/:id/sync/:kind`; `full` and `styleNumbers` apply to styles. */
export class SyncTriggerDto {
  @ApiPropertyOptional({ description: 'styles: every flagged style, not only those changed since the last run' })
  @IsOptional()
  @IsBoolean()
  full?: boolean;

  @ApiPropertyOptional({ type: [String], description: 'styles: only these style numbers' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  @Length(1, 45, { each: true })
  styleNumbers?: string[];
}
