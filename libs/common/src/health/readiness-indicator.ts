import type { HealthIndicatorResult } from '@nestjs/terminus';

/** One dependency checked by `/health/ready`. */
export interface ReadinessIndicator {
  readonly key: string;
  check(timeoutMs: number): Promise<HealthIndicatorResult>;
}

export const READINESS_INDICATORS = Symbol('READINESS_INDICATORS');
