import { randomInt } from 'crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Rng } from '@app/sandbox-seed';
import type { FaultConfig, FaultKind, FaultPhase, FaultRule } from './fault-rule';
import { RECORD_MUTATIONS, type RecordMutation } from './record-mutations';
import { SANDBOX_KIT_OPTIONS, type ResolvedSandboxKitOptions } from './sandbox-kit.options';

export interface FaultDecision {
  kind: FaultKind;
  /** `before`: instead of the route; `after`: the route runs, then its answer is replaced. */
  phase: FaultPhase;
  /** Index of the rule that fired. */
  rule: number;
  timeoutMs: number;
  slowMs: number;
  retryAfterSeconds: number;
  /** For `mangle`: how, and which record (null: one drawn when the answer's length is known). */
  mutation?: RecordMutation;
  record?: number | null;
  /** For `mangle` without a set record: a number in [0, 1) that picks it. */
  recordDraw?: number;
}

/** What GET /_sandbox/faults shows. */
export interface FaultSetup extends Omit<FaultConfig, 'rules'> {
  seed: number;
  rules: Array<FaultRule & { injected: number; remaining: number | null }>;
}

interface ActiveRule extends FaultRule {
  matcher: (path: string) => boolean;
  injected: number;
}

/**
 * Holds the fault rules and rolls the dice. Rules are tried in order; each matching rule that
 * is not used up rolls once, and the first roll under its rate fires. With a seed the rolls
 * are a fixed sequence, so the same requests in the same order get the same faults.
 */
@Injectable()
export class FaultInjector {
  private rules: ActiveRule[] = [];
  private settings: Omit<FaultDecision, 'kind' | 'phase' | 'rule'>;
  private seed: number;
  private rng: Rng;

  constructor(@Inject(SANDBOX_KIT_OPTIONS) private readonly options: ResolvedSandboxKitOptions) {
    this.configure({ rules: [] });
  }

  /** Replaces the whole set-up and restarts the dice from the seed. */
  configure(config: FaultConfig): void {
    this.seed = config.seed ?? this.options.faultSeed ?? randomInt(0, 2 ** 32 - 1);
    this.rng = new Rng(this.seed);
    this.settings = {
      timeoutMs: config.timeoutMs ?? this.options.timeoutMs,
      slowMs: config.slowMs ?? this.options.slowMs,
      retryAfterSeconds: config.retryAfterSeconds ?? this.options.retryAfterSeconds,
    };
    this.rules = config.rules.map((rule) => ({ ...rule, matcher: matcherFor(rule.path), injected: 0 }));
  }

  clear(): void {
    this.configure({ rules: [] });
  }

  decide(method: string, path: string): FaultDecision | null {
    for (let i = 0; i < this.rules.length; i++) {
      const rule = this.rules[i];
      if (rule.method !== undefined && rule.method !== method.toUpperCase()) continue;
      if (rule.times !== undefined && rule.injected >= rule.times) continue;
      if (!rule.matcher(path)) continue;
      if (this.rng.next() >= rule.rate) continue;
      rule.injected++;
      const kind = rule.kinds.length === 1 ? rule.kinds[0] : this.rng.pick(rule.kinds);
      const decision: FaultDecision = { kind, phase: rule.phase ?? 'before', rule: i, ...this.settings };
      if (kind === 'mangle') {
        decision.mutation = this.rng.pick(rule.mutations ?? [...RECORD_MUTATIONS]);
        decision.record = rule.record ?? null;
        decision.recordDraw = this.rng.next();
      }
      return decision;
    }
    return null;
  }

  describe(): FaultSetup {
    return {
      seed: this.seed,
      ...this.settings,
      rules: this.rules.map(({ matcher: _matcher, ...rule }) => ({ ...rule, remaining: rule.times === undefined ? null : rule.times - rule.injected })),
    };
  }
}

function matcherFor(path: string): (candidate: string) => boolean {
  if (path.startsWith('^')) {
    const pattern = new RegExp(path);
    return (candidate) => pattern.test(candidate);
  }
  return (candidate) => candidate.startsWith(path);
}
