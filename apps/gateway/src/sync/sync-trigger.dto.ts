import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsOptional, IsString, Length } from 'class-validator';

/** Body of `POST /connections/:id/sync/:kind`: `full` (styles, images, inventory, customers), `styleNumbers` (styles, images, inventory), `codes` (customers). */
export class SyncTriggerDto {
  @ApiPropertyOptional({ description: 'styles, images, inventory, customers: every one, not only those changed since the last run' })
  @IsOptional()
  @IsBoolean()
  full?: boolean;

  @ApiPropertyOptional({ type: [String], description: 'styles, images, inventory: only these style numbers' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  @Length(1, 45, { each: true })
  styleNumbers?: string[];

  @ApiPropertyOptional({ type: [String], description: 'customers: only the AMC customers carrying these JOOR customer codes' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  @Length(1, 50, { each: true })
  codes?: string[];
}
