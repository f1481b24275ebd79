export { renderPng, crc32, type RenderPngOptions } from './png';
export { SandboxKitModule } from './sandbox-kit.module';
export { SANDBOX_KIT_OPTIONS, type SandboxKitOptions } from './sandbox-kit.options';
export { FAULT_KINDS, FAULT_PHASES, parseFaultConfig, type FaultConfig, type FaultKind, type FaultPhase, type FaultRule } from './fault-rule';
export { RECORD_MUTATIONS, mangleAnswer, type RecordMutation, type MangleResult } from './record-mutations';
export { FaultInjector, type FaultDecision, type FaultSetup } from './fault-injector';
export { CallLog, splitUrl, type CallPage, type CallQuery, type CallRecord } from './call-log';
export { SandboxKitMiddleware, SANDBOX_PREFIX } from './sandbox-kit.middleware';
export * from './sandbox-postgres.health';
