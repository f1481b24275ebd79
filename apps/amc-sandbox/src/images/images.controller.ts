import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { renderPng } from '@app/sandbox-kit';
import { AmcStoreRepository } from '../store/amc-store.repository';

/**
 * The images the records point at, as real PNG bytes. Public (AMC's image URLs need no token)
 * and only for refs some product or colorway still carries; others are 404, as a removed file.
 */
@Controller('images')
export class ImagesController {
  constructor(private readonly store: AmcStoreRepository) {}

  @Get('*path')
  async image(@Param('path') path: string | string[], @Res() res: Response): Promise<void> {
    const ref = `/images/${Array.isArray(path) ? path.join('/') : path}`;
    if (!/^\/images\/[A-Za-z0-9/_.-]{1,200}\.png$/.test(ref) || !(await this.store.hasImage(ref))) throw new NotFoundException(`No image at ${ref}`);
    res.status(200).type('image/png').setHeader('Cache-Control', 'public, max-age=3600');
    res.send(renderPng(ref));
  }
}
