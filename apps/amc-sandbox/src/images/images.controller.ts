import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { renderPng } from '@app/sandbox-kit';
import { AmcStoreRepository } from '../store/amc-store.repository';

/** Files an image server really holds that JOOR refuses, for tests and demos (refs a record must still carry). */
const TEST_FILES = {
  /** `/images/gone/...`: the record points at a file the server no longer has (404). */
  gone: /^\/images\/gone\//,
  /** `/images/oversized/....png`: a PNG of 11 MB, over JOOR's 10 MB. */
  oversized: /^\/images\/oversized\//,
} as const;
const OVERSIZED_BYTES = 11 * 1024 * 1024;

/**
 * The images the records point at, as real PNG bytes (a `.webp` ref as WebP bytes). Public (AMC's
 * image URLs need no token) and only for refs some product or colorway still carries; others are
 * 404, as a removed file. The test files above answer what their folder says.
 */
@Controller('images')
export class ImagesController {
  constructor(private readonly store: AmcStoreRepository) {}

  @Get('*path')
  async image(@Param('path') path: string | string[], @Res() res: Response): Promise<void> {
    const ref = `/images/${Array.isArray(path) ? path.join('/') : path}`;
    if (!/^\/images\/[A-Za-z0-9/_.-]{1,200}\.(png|webp)$/.test(ref) || TEST_FILES.gone.test(ref) || !(await this.store.hasImage(ref))) throw new NotFoundException(`No image at ${ref}`);
    res.status(200).setHeader('Cache-Control', 'public, max-age=3600');
    if (ref.endsWith('.webp')) {
      res.type('image/webp').send(webp(ref));
      return;
    }
    const png = renderPng(ref);
    if (TEST_FILES.oversized.test(ref)) {
      const big = Buffer.alloc(OVERSIZED_BYTES);
      png.copy(big);
      res.type('image/png').send(big);
      return;
    }
    res.type('image/png').send(png);
  }
}

/** A WebP file's header (RIFF, size, WEBP, a VP8L chunk) and a little body: enough for anything that looks at the type. */
function webp(ref: string): Buffer {
  const body = Buffer.from(`VP8L${ref}`);
  const header = Buffer.alloc(12);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(body.length + 4, 4);
  header.write('WEBP', 8, 'ascii');
  return Buffer.concat([header, body]);
}
