# One Dockerfile, one image per service: build with --build-arg APP=<service>
# (gateway, catalog-sync, media-sync, inventory-sync, customer-sync, order-ingest, amc-sandbox, joor-sandbox).
# Every image also carries the migrations: `node dist/scripts/migrate.js`.
ARG NODE_VERSION=22

FROM node:${NODE_VERSION}-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM deps AS build
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY apps ./apps
COPY libs ./libs
COPY scripts ./scripts
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ARG APP=gateway
ENV NODE_ENV=production \
    APP=${APP}
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
USER node
# Readiness of whichever service this image runs (no curl in slim images).
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 CMD ["node", "dist/scripts/healthcheck.js"]
# exec: the service is PID 1 and receives SIGTERM itself, so it drains and exits 0.
CMD ["sh", "-c", "exec node dist/apps/${APP}/src/main.js"]
