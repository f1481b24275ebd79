import { Controller, Get, HttpCode, Post, Res } from '@nestjs/common';
import { ApiOkResponse, ApiSecurity, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '@app/common';
import { MeshService, type MeshReport } from './mesh.service';

/**
 * The mesh's health. Reading it is public and never enqueues anything: it answers the gateway's last
 * probe (it probes by itself every MESH_PROBE_INTERVAL_MS). Probing now sends a canary to every
 * service and needs the API key. Neither answer names a host or a process.
 */
@ApiTags('health')
@Controller('health/mesh')
export class MeshController {
  constructor(private readonly mesh: MeshService) {}

  @Get()
  @Public()
  @ApiOkResponse({ description: 'the last probe found every sync service consuming (see `checkedAt`)' })
  @ApiServiceUnavailableResponse({ description: 'at least one was not (each is named with the reason), or no probe has finished yet (`status: unknown`)' })
  last(@Res({ passthrough: true }) res: Response): MeshReport {
    return this.answer(this.mesh.last(), res);
  }

  @Post()
  @HttpCode(200)
  @ApiSecurity('api-key')
  @ApiOkResponse({ description: 'every sync service consumed its canary just now' })
  @ApiServiceUnavailableResponse({ description: 'at least one did not; each is named with the reason' })
  async probe(@Res({ passthrough: true }) res: Response): Promise<MeshReport> {
    return this.answer(await this.mesh.probe(), res);
  }

  private answer(report: MeshReport, res: Response): MeshReport {
    res.status(report.status === 'ok' ? 200 : 503);
    return report;
  }
}
