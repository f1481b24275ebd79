import { runService } from '@app/common';
import { configureGateway } from './configure-gateway';
import { GatewayModule } from './gateway.module';

void runService({ service: 'gateway', module: (config) => GatewayModule.register(config), configure: (app) => configureGateway(app) });
