# UserHarbor as a container: build with the full toolchain, run with production
# dependencies only, as an unprivileged user. Node 24 LTS (Node 20 is past end of life).
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY gen/ts/package.json gen/ts/package.json
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY gen/ts gen/ts
COPY src src
# Source maps point at src/*.ts, which the image does not carry.
RUN npm run build && find dist -name '*.map' -delete

FROM node:24-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=50051 METRICS_PORT=9090
WORKDIR /app
COPY package.json package-lock.json ./
COPY gen/ts gen/ts
# Production dependencies only; then npm itself (and the base's other package managers)
# goes, with its cache: the running service never installs anything.
RUN npm ci --omit=dev --no-audit --no-fund \
  && rm -rf /root/.npm /usr/local/lib/node_modules /usr/local/bin/npm /usr/local/bin/npx \
    /usr/local/bin/corepack /usr/local/bin/yarn /usr/local/bin/yarnpkg /opt/yarn-*
COPY --from=build /app/dist dist
USER node
# gRPC, gRPC-Web and Connect on one port; Prometheus metrics apart.
EXPOSE 50051 9090
# Asks the server's own grpc.health.v1.Health: healthy only while SERVING.
HEALTHCHECK --interval=10s --timeout=5s --start-period=10s --retries=3 CMD ["node", "dist/healthcheck.js"]
# Production needs SECRET_KEY, API_KEYS and SMTP_URL (or SMTP_HOST); see docs/operations.md.
CMD ["node", "dist/server.js"]
