import { runService } from '@app/common';
import { AmcSandboxModule } from './amc-sandbox.module';

void runService({ service: 'amc-sandbox', module: (config) => AmcSandboxModule.register(config) });
