# One Dockerfile, one image per service: build with --build-arg APP=<service>
# (gateway, catalog-sync, media-sync, inventory-sync, customer-sync, order-ingest, amc-sandbox, joor-sandbox).
# An image holds only its service's compiled files (scripts/image-contents.ts: its main and what that
# requires, the health check, and the scripts it runs: `node dist/scripts/migrate.js` in every service
# image, create-demo-connection in amc-sandbox's) and the production dependencies. `npm run image-contents`
# lists each image's files; test/image-contents.spec.ts holds them to that.
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
# Declared after the build so the eight images share its layer.
ARG APP=gateway
RUN node dist/scripts/image-contents.js "$APP" /app/image

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ARG APP=gateway
ENV NODE_ENV=production \
    APP=${APP}
WORKDIR /app
# Owned by root and only readable by the service: it cannot change its own code.
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/image/dist ./dist
# `node` of the official image, numeric so Kubernetes' runAsNonRoot can verify it.
USER 1000:1000
# Readiness of whichever service this image runs: plain node:http, none of the app loaded (no curl in slim images).
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 CMD ["node", "dist/scripts/healthcheck.js"]
# exec: the service is PID 1 and receives SIGTERM itself, so it drains and exits 0.
CMD ["sh", "-c", "exec node dist/apps/${APP}/src/main.js"]
