# UserHarbor as a container: build with the full toolchain, run with production
# dependencies only, as an unprivileged user.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY gen/ts/package.json gen/ts/package.json
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY gen/ts gen/ts
COPY src src
RUN npm run build

FROM node:20-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=50051 METRICS_PORT=9090
WORKDIR /app
COPY package.json package-lock.json ./
COPY gen/ts gen/ts
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist dist
USER node
# gRPC, gRPC-Web and Connect on one port; Prometheus metrics apart.
EXPOSE 50051 9090
# Asks the server's own grpc.health.v1.Health: healthy only while SERVING.
HEALTHCHECK --interval=10s --timeout=5s --start-period=10s --retries=3 CMD ["node", "dist/healthcheck.js"]
# Production needs SECRET_KEY, API_KEYS and SMTP_URL (or SMTP_HOST); see README "Configuration".
CMD ["node", "dist/server.js"]
