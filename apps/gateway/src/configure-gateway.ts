import type { INestApplication } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { API_KEY_HEADER } from './auth/api-key.guard';
import { ClientErrorFilter } from './client-error.filter';
import { buildValidationPipe } from './validation';

/** App-level setup, shared by main.ts and the e2e tests so both run the same gateway. */
export function configureGateway(app: INestApplication): void {
  app.useGlobalPipes(buildValidationPipe());
  const { databaseUrl, redisUrl } = app.get<AppConfig>(APP_CONFIG);
  app.useGlobalFilters(new ClientErrorFilter(app.getHttpAdapter(), { databaseUrl, redisUrl }));
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('AMC <-> JOOR sync gateway')
      .setDescription(
        'Connections, sync runs and their events, the mesh health probe. Every route except health, metrics and these docs needs the `x-api-key` header. ' +
          'Sync triggers (`POST /connections/{id}/sync/{kind}`, kind one of styles, images, inventory, customers, orders, answering 202 `{runId}`) arrive with each sync capability.',
      )
      .setVersion('0.1.0')
      .addApiKey({ type: 'apiKey', in: 'header', name: API_KEY_HEADER }, 'api-key')
      .build(),
  );
  SwaggerModule.setup('docs', app, document);
}
