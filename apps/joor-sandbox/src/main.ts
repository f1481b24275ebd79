import { runService } from '@app/common';
import { configureJoorSandbox } from './configure-joor-sandbox';
import { loadJoorSandboxConfig } from './joor-sandbox.config';
import { JoorSandboxModule } from './joor-sandbox.module';

void runService({ service: 'joor-sandbox', module: (config) => JoorSandboxModule.register(config, loadJoorSandboxConfig()), configure: (app) => configureJoorSandbox(app) });
