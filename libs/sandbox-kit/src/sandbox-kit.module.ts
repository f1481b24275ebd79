import { type DynamicModule, type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
import { CallLog } from './call-log';
import { FaultInjector } from './fault-injector';
import { SandboxCallsController } from './sandbox-calls.controller';
import { SandboxFaultsController } from './sandbox-faults.controller';
import { SandboxKitMiddleware } from './sandbox-kit.middleware';
import { resolveSandboxKitOptions, SANDBOX_KIT_OPTIONS, type SandboxKitOptions } from './sandbox-kit.options';

/**
 * Fault injection and the call log for a sandbox app: import `SandboxKitModule.forRoot({...})`
 * and every route is covered. Global on purpose: Nest mounts the middleware of global modules
 * before the app's own, so the call log also sees requests the app's auth middleware refuses.
 */
@Module({})
export class SandboxKitModule implements NestModule {
  static forRoot(options: SandboxKitOptions = {}): DynamicModule {
    return {
      module: SandboxKitModule,
      global: true,
      controllers: options.controlRoutes === false ? [] : [SandboxFaultsController, SandboxCallsController],
      providers: [{ provide: SANDBOX_KIT_OPTIONS, useValue: resolveSandboxKitOptions(options) }, FaultInjector, CallLog, SandboxKitMiddleware],
      exports: [FaultInjector, CallLog],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(SandboxKitMiddleware).forRoutes({ path: '*', method: RequestMethod.ALL });
  }
}
