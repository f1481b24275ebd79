import { ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsObject, IsOptional, IsString, Length, ValidateNested } from 'class-validator';
import { ConnectionSettingsDto } from './connection-settings.dto';
import { AmcCredentialsDto, JoorCredentialsDto } from './create-connection.dto';

export class AmcCredentialsPatchDto extends PartialType(AmcCredentialsDto) {}
export class JoorCredentialsPatchDto extends PartialType(JoorCredentialsDto) {}

/** Any subset; secrets given here replace the stored ones, settings are merged. */
export class UpdateConnectionDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 100)
  name?: string;

  @ApiPropertyOptional({ type: AmcCredentialsPatchDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => AmcCredentialsPatchDto)
  amc?: AmcCredentialsPatchDto;

  @ApiPropertyOptional({ type: JoorCredentialsPatchDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => JoorCredentialsPatchDto)
  joor?: JoorCredentialsPatchDto;

  @ApiPropertyOptional({ type: ConnectionSettingsDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ConnectionSettingsDto)
  settings?: ConnectionSettingsDto;
}
