import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsNotEmpty, IsObject, IsOptional, IsString, IsUrl, Length, ValidateNested } from 'class-validator';
import { ConnectionSettingsDto } from './connection-settings.dto';

const URL_OPTIONS = { require_tld: false, require_protocol: true, protocols: ['http', 'https'] };

export class AmcCredentialsDto {
  @ApiProperty({ example: 'https://brand.app.apparelmagic.com/api/json' })
  @IsUrl(URL_OPTIONS)
  baseUrl: string;

  @ApiProperty({ writeOnly: true })
  @IsString()
  @IsNotEmpty()
  @Length(1, 500)
  token: string;
}

export class JoorCredentialsDto {
  @ApiProperty({ example: 'https://api.jooraccess.com/v2' })
  @IsUrl(URL_OPTIONS)
  v2BaseUrl: string;

  @ApiProperty({ example: 'https://api.jooraccess.com/v4' })
  @IsUrl(URL_OPTIONS)
  v4BaseUrl: string;

  @ApiProperty({ example: 'https://atlas.jooraccess.com/auth/' })
  @IsUrl(URL_OPTIONS)
  authUrl: string;

  @ApiProperty()
  @IsString()
  @Length(1, 50)
  accountId: string;

  @ApiProperty()
  @IsString()
  @Length(1, 200)
  clientId: string;

  @ApiProperty({ writeOnly: true })
  @IsString()
  @Length(1, 500)
  clientSecret: string;

  @ApiProperty()
  @IsString()
  @Length(1, 200)
  username: string;

  @ApiProperty({ writeOnly: true })
  @IsString()
  @Length(1, 500)
  password: string;

  @ApiProperty({ writeOnly: true, description: 'static token for the v2 API' })
  @IsString()
  @Length(1, 500)
  v2Token: string;
}

export class CreateConnectionDto {
  @ApiProperty({ example: 'Acme Apparel' })
  @IsString()
  @Length(1, 100)
  name: string;

  @ApiProperty({ type: AmcCredentialsDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => AmcCredentialsDto)
  amc: AmcCredentialsDto;

  @ApiProperty({ type: JoorCredentialsDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => JoorCredentialsDto)
  joor: JoorCredentialsDto;

  @ApiPropertyOptional({ type: ConnectionSettingsDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ConnectionSettingsDto)
  settings?: ConnectionSettingsDto;
}
