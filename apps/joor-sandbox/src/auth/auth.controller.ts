import { Body, Controller, HttpCode, Post, Res, UseInterceptors } from '@nestjs/common';
import { NoFilesInterceptor } from '@nestjs/platform-express';
import type { Response } from 'express';
import { AuthError, TokenService } from './token.service';

/** JOOR's v4 token endpoint (atlas.jooraccess.com/auth/): a multipart or urlencoded form. */
@Controller('auth')
export class AuthController {
  constructor(private readonly tokens: TokenService) {}

  @Post()
  @HttpCode(200)
  @UseInterceptors(NoFilesInterceptor())
  async token(@Body() form: Record<string, unknown>, @Res({ passthrough: true }) res: Response) {
    res.locals.credits = 0;
    try {
      return await this.tokens.grant(form ?? {});
    } catch (err) {
      if (!(err instanceof AuthError)) throw err;
      res.status(err.httpStatus);
      return { error: err.error, error_description: err.message };
    }
  }
}
