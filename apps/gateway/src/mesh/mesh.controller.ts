import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '@app/common';
import { MeshService, type MeshReport } from './mesh.service';

@ApiTags('health')
@Public()
@Controller('health')
export class MeshController {
  constructor(private readonly mesh: MeshService) {}

  @Get('mesh')
  @ApiOkResponse({ description: 'every sync service consumed its canary' })
  @ApiServiceUnavailableResponse({ description: 'at least one did not; each is named with the reason' })
  async check(@Res({ passthrough: true }) res: Response): Promise<MeshReport> {
    const report = await this.mesh.probe();
    res.status(report.status === 'ok' ? 200 : 503);
    return report;
  }
}
