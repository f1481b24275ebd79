import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsISO8601, IsOptional, IsString, Length, Matches, Max, Min, ValidateIf } from 'class-validator';
import { ORDER_TYPES, STOCK_FIELDS, type OrderType, type StockField } from '@app/contracts';

const nullable = (_: object, value: unknown) => value !== null;
/** Left out takes the default; null is not a value of these settings (IsOptional would let it through to the schedules). */
const given = (_: object, value: unknown) => value !== undefined;

/** Every setting is optional; what is left out takes the AMC JOOR plugin's default. */
export class ConnectionSettingsDto {
  @ApiPropertyOptional({ enum: STOCK_FIELDS, default: 'qty_avail_sell' })
  @ValidateIf(given)
  @IsIn(STOCK_FIELDS)
  stockField?: StockField;

  @ApiPropertyOptional({ nullable: true, description: 'AMC warehouse whose stock goes to JOOR' })
  @IsOptional()
  @ValidateIf(nullable)
  @IsString()
  @Length(1, 50)
  amcWarehouseId?: string | null;

  @ApiPropertyOptional({ nullable: true, description: 'JOOR warehouse receiving the stock; must exist on JOOR' })
  @IsOptional()
  @ValidateIf(nullable)
  @IsString()
  @Length(1, 100)
  joorWarehouseName?: string | null;

  @ApiPropertyOptional({ enum: ORDER_TYPES, default: 'approved' })
  @ValidateIf(given)
  @IsIn(ORDER_TYPES)
  orderType?: OrderType;

  @ApiPropertyOptional({ nullable: true, example: '2026-01-01', description: 'orders dated before this day are ignored' })
  @IsOptional()
  @ValidateIf(nullable)
  @IsISO8601({ strict: true })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'orderStartDate must be a day as YYYY-MM-DD' })
  orderStartDate?: string | null;

  @ApiPropertyOptional({ default: 15, minimum: 5, maximum: 1440 })
  @ValidateIf(given)
  @IsInt()
  @Min(5) // each poll costs JOOR credits; more often than every 5 minutes starves the other syncs
  @Max(1440)
  orderPollMinutes?: number;

  @ApiPropertyOptional({ default: 10, minimum: 1, maximum: 1440, description: 'minutes between scheduled catalog deltas' })
  @ValidateIf(given)
  @IsInt()
  @Min(1)
  @Max(1440)
  catalogSyncMinutes?: number;

  @ApiPropertyOptional({ default: 60, minimum: 15, maximum: 86400, description: 'seconds between reads of AMC stock changes' })
  @ValidateIf(given)
  @IsInt()
  @Min(15) // each poll reads AMC; sends to JOOR only what changed, but a poll every few seconds would keep the AMC rate busy
  @Max(86400)
  inventoryPollSeconds?: number;

  @ApiPropertyOptional({
    default: 60,
    minimum: 1,
    maximum: 1440,
    description: 'minutes between scheduled sends of the AMC customers changed since the last run (each also looks up a few pending customers)',
  })
  @ValidateIf(given)
  @IsInt()
  @Min(1)
  @Max(1440)
  customerSyncMinutes?: number;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @ValidateIf(nullable)
  @IsString()
  @Length(1, 50)
  divisionId?: string | null;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @ValidateIf(nullable)
  @IsString()
  @Length(1, 50)
  creditStatus?: string | null;

  @ApiPropertyOptional({ default: true })
  @ValidateIf(given)
  @IsBoolean()
  syncImages?: boolean;

  @ApiPropertyOptional({ default: false })
  @ValidateIf(given)
  @IsBoolean()
  syncColorwaysAsProducts?: boolean;

  @ApiPropertyOptional({ nullable: true, example: 'USD', description: "The MSRP's currency (the plugin's Default Currency Name); null: AMC's base currency" })
  @IsOptional()
  @ValidateIf(nullable)
  @Matches(/^[A-Z]{3}$/, { message: 'defaultCurrency must be a three-letter ISO 4217 code such as USD' })
  defaultCurrency?: string | null;

  @ApiPropertyOptional({ nullable: true, example: 'U0tVVHJhaXQ6U3R5bGVDb2xvcg==', description: "JOOR's Color trait, by id or name; null: found by the ids and names JOOR is known to use" })
  @IsOptional()
  @ValidateIf(nullable)
  @IsString()
  @Length(1, 200)
  joorColorTrait?: string | null;

  @ApiPropertyOptional({ nullable: true, example: 'Size', description: "JOOR's Size trait, by id or name; null: found" })
  @IsOptional()
  @ValidateIf(nullable)
  @IsString()
  @Length(1, 200)
  joorSizeTrait?: string | null;
}
