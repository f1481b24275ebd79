import { Body, Controller, Get, HttpStatus, Inject, Param, Post, Put, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AMC_SANDBOX_CONFIG } from '../amc-sandbox.tokens';
import type { AmcSandboxConfig } from '../amc-sandbox.config';
import { AmcOrdersService } from '../orders/amc-orders.service';
import { SandboxSettingsService } from '../sandbox/sandbox-settings.service';
import { AMC_RESOURCES, isAmcResource, type AmcResource } from '../store/amc-resources';
import { AmcStoreRepository, type AmcRecord } from '../store/amc-store.repository';
import { PerTokenRateLimiter, authProblem } from './amc-auth';
import { envelope, errorEnvelope, paginationMeta } from './amc-envelope';
import { flattenBody, parseAmcQuery, type ParsedQuery } from './amc-query.parser';
import { AmcWritesService } from './amc-writes.service';

/** `/api/json/<resource>[/<id>]`: AMC's shape, auth, envelope, filters and paging. */
@Controller('api/json')
export class AmcApiController {
  private readonly limiter = new PerTokenRateLimiter();

  constructor(
    @Inject(AMC_SANDBOX_CONFIG) private readonly config: AmcSandboxConfig,
    private readonly settings: SandboxSettingsService,
    private readonly store: AmcStoreRepository,
    private readonly orders: AmcOrdersService,
    private readonly writes: AmcWritesService,
  ) {}

  @Get(':resource')
  async list(@Param('resource') resource: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const query = this.admit(req, res, resource, queryPairs(req));
    if (!query) return;
    const settings = this.settings.get();
    if (query.errors.length > 0) return void res.status(HttpStatus.BAD_REQUEST).json(errorEnvelope(query.errors));
    // Pages are cut to the account's cap whatever the client asks for, as AMC does: clients must not take a short page for the end.
    const pageSize = Math.min(query.paging.pageSize ?? this.config.defaultPageSize, settings.maxPageSize);
    const byPage = settings.paging === 'page_number';
    const pageNumber = byPage ? (query.paging.pageNumber ?? 1) : 1;
    const result = await this.store.list(resource as AmcResource, {
      filters: query.filters,
      pageSize,
      ...(byPage ? { pageNumber } : { lastId: query.paging.lastId }),
    });
    if (result.errors.length > 0) return void res.status(HttpStatus.BAD_REQUEST).json(errorEnvelope(result.errors));
    const last = result.records[result.records.length - 1];
    const pagination = paginationMeta(settings.paging, {
      pageSize,
      pageNumber,
      returned: result.records.length,
      total: result.total,
      lastId: last ? String(last[AMC_RESOURCES[resource as AmcResource]]) : null,
    });
    res.json(
      envelope(
        result.records.map((r) => withImageUrls(r, req)),
        pagination,
      ),
    );
  }

  @Get(':resource/:id')
  async one(@Param('resource') resource: string, @Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    if (!this.admit(req, res, resource, queryPairs(req))) return;
    const record = await this.store.get(resource as AmcResource, id);
    if (!record) return void res.status(HttpStatus.NOT_FOUND).json(errorEnvelope([`${resource} ${id} does not exist`]));
    res.json(envelope([withImageUrls(record, req)]));
  }

  @Post(':resource')
  async create(@Param('resource') resource: string, @Body() body: AmcRecord, @Req() req: Request, @Res() res: Response): Promise<void> {
    if (!this.admit(req, res, resource, [...queryPairs(req), ...authPairs(body)])) return;
    const now = new Date();
    if (resource === 'orders') {
      const result = await this.orders.create(body, now);
      // AMC reports a refused order in meta.errors with HTTP 200; clients must read the envelope.
      return void res.status(HttpStatus.OK).json(result.order ? envelope([result.order]) : errorEnvelope(result.errors));
    }
    if (!AmcWritesService.canCreate(resource as AmcResource)) return void res.status(HttpStatus.METHOD_NOT_ALLOWED).json(errorEnvelope([`POST is not supported on ${resource}`]));
    const result = await this.writes.create(resource as AmcResource, body ?? {}, now);
    if (!result.record) return void res.status(result.status).json(errorEnvelope(result.errors));
    res.status(HttpStatus.OK).json(envelope([withImageUrls(result.record, req)]));
  }

  @Put(':resource/:id')
  async update(@Param('resource') resource: string, @Param('id') id: string, @Body() body: AmcRecord, @Req() req: Request, @Res() res: Response): Promise<void> {
    if (!this.admit(req, res, resource, [...queryPairs(req), ...authPairs(body)])) return;
    if (!AmcWritesService.canUpdate(resource as AmcResource)) return void res.status(HttpStatus.METHOD_NOT_ALLOWED).json(errorEnvelope([`PUT is not supported on ${resource}`]));
    const result = await this.writes.update(resource as AmcResource, id, body ?? {}, new Date());
    if (!result.record) return void res.status(result.status).json(errorEnvelope(result.errors));
    res.json(envelope([withImageUrls(result.record, req)]));
  }

  /** Resource, auth and rate checks shared by every route; answers the refusal itself and returns null. */
  private admit(req: Request, res: Response, resource: string, pairs: Array<[string, string]>): ParsedQuery | null {
    const query = parseAmcQuery(pairs);
    const settings = this.settings.get();
    const problem = authProblem(query, this.config.token, settings.maxClockSkewSeconds, Math.floor(Date.now() / 1000));
    if (problem) {
      res.status(HttpStatus.UNAUTHORIZED).json(errorEnvelope([problem]));
      return null;
    }
    const wait = this.limiter.take(query.token!, settings.rateLimitPerSecond, Date.now());
    if (wait > 0) {
      res
        .status(HttpStatus.TOO_MANY_REQUESTS)
        .setHeader('Retry-After', String(wait))
        .json(errorEnvelope(['Too many requests']));
      return null;
    }
    if (!isAmcResource(resource)) {
      res.status(HttpStatus.NOT_FOUND).json(errorEnvelope([`Unknown resource ${resource}`]));
      return null;
    }
    return query;
  }
}

function queryPairs(req: Request): Array<[string, string]> {
  const at = req.originalUrl.indexOf('?');
  return at < 0 ? [] : [...new URLSearchParams(req.originalUrl.slice(at + 1)).entries()];
}

/** POST/PUT carry token and time in the JSON body. */
function authPairs(body: unknown): Array<[string, string]> {
  return flattenBody(body).filter(([key]) => key === 'token' || key === 'time');
}

/** Image refs are stored as paths on this host; clients get absolute URLs, as from the real AMC. */
function withImageUrls(record: AmcRecord, req: Request): AmcRecord {
  if (!Array.isArray(record.images)) return record;
  const base = `${req.protocol}://${req.get('host')}`;
  return {
    ...record,
    images: (record.images as Array<Record<string, unknown>>).map((image) => (typeof image.img === 'string' && image.img.startsWith('/') ? { ...image, img: `${base}${image.img}` } : image)),
  };
}
