import { BadRequestException, ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import type { ValidationError } from 'class-validator';

export interface FieldError {
  field: string;
  errors: string[];
}

/** Flattens class-validator's nested errors to dotted field paths (`amc.baseUrl`). */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const error of errors) {
    const field = parent ? `${parent}.${error.property}` : error.property;
    if (error.constraints) out.push({ field, errors: Object.values(error.constraints) });
    if (error.children?.length) out.push(...flattenValidationErrors(error.children, field));
  }
  return out;
}

/** Dotted paths of the strings in `value` that hold a NUL character (PostgreSQL text cannot store one). */
export function fieldsWithNul(value: unknown, parent = ''): string[] {
  if (typeof value === 'string') return value.includes('\u0000') ? [parent || '(value)'] : [];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) => [...(key.includes('\u0000') ? [parent ? `${parent}.${key}` : key] : []), ...fieldsWithNul(child, parent ? `${parent}.${key}` : key)]);
}

/** The DTO rules, and before them one no DTO states: no text may carry a NUL character (the database would refuse it with a 500). */
class GatewayValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const fields = fieldsWithNul(value);
    if (fields.length > 0) {
      throw new BadRequestException({
        statusCode: 400,
        error: 'Bad Request',
        message: `invalid request: ${fields.join(', ')} must not contain the NUL character (\\u0000)`,
        fields: fields.map((field) => ({ field, errors: [`${field} must not contain the NUL character`] })),
      });
    }
    return super.transform(value, metadata);
  }
}

/** Whitelisting, unknown fields rejected, 400 naming each bad field. */
export function buildValidationPipe(): ValidationPipe {
  return new GatewayValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => {
      const fields = flattenValidationErrors(errors);
      return new BadRequestException({
        statusCode: 400,
        error: 'Bad Request',
        message: `invalid request: ${fields.map((f) => f.field).join(', ')}`,
        fields,
      });
    },
  });
}
