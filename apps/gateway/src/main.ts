// First: tracing (when the OTEL_* variables turn it on) must be in place before the modules it instruments load.
import '@app/tracing';
import { runService } from '@app/common';
import { configureGateway } from './configure-gateway';
import { GatewayModule } from './gateway.module';

void runService({ service: 'gateway', module: (config) => GatewayModule.register(config), configure: (app) => configureGateway(app) });
