import { CanActivate, ExecutionContext, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { APP_CONFIG, IS_PUBLIC, type AppConfig } from '@app/common';
import { safeEqual } from './safe-equal';

export const API_KEY_HEADER = 'x-api-key';

/** Every route needs `x-api-key: GATEWAY_API_KEY` unless marked @Public(). */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    if (isPublic) return true;
    const given = context.switchToHttp().getRequest<Request>().headers[API_KEY_HEADER];
    if (typeof given !== 'string' || !safeEqual(given, this.config.gateway.apiKey)) {
      throw new UnauthorizedException(`missing or wrong ${API_KEY_HEADER} header`);
    }
    return true;
  }
}
