# syntax=docker/dockerfile:1
#
# Syncline as a container: `syncline serve` on port 8080, config from a mounted file,
# secrets from the environment, state on a volume. The image runs what users install: the
# package `npm pack` builds (dist/), installed with the production dependencies pinned by the
# lockfile. docker-verify.sh (beside this file) replays these stages without Docker in CI.
#
#   docker build -t syncline .
#   docker run --rm -p 8080:8080 \
#     -v "$PWD/syncline.yaml:/etc/syncline/syncline.yaml:ro" -v syncline-state:/var/lib/syncline \
#     -e SYNCLINE_API_TOKEN=... syncline

ARG NODE_IMAGE=node:24-bookworm-slim

# ---- pack: build the package from the sources ----
FROM ${NODE_IMAGE} AS pack
WORKDIR /src
COPY package.json package-lock.json ./
# The compiler only: no native module is built or loaded in this stage.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json README.md LICENSE CHANGELOG.md ./
COPY bin ./bin
COPY src ./src
COPY plugins ./plugins
COPY drizzle ./drizzle
COPY examples/quickstart ./examples/quickstart
COPY templates ./templates
# prepack runs the build; the tarball is exactly what `npm install syncline` unpacks.
RUN npm pack --pack-destination /pack \
 && mkdir /pack/package && tar -xzf /pack/syncline-*.tgz -C /pack/package --strip-components=1

# ---- deps: the package with its production dependencies ----
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
# Toolchain for native modules (better-sqlite3, DuckDB) when no prebuilt binary matches;
# it stays in this stage and never reaches the runtime image.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY --from=pack /pack/package ./
COPY package-lock.json ./
# better-sqlite3 builds from source in its install script (node-gyp). npm 11 still runs
# unreviewed install scripts (with a warning); npm 12 skips them unless package.json
# `allowScripts` approves them. Loading both native modules here fails the build loudly
# instead of shipping an image whose state database cannot open.
RUN npm ci --omit=dev --no-audit --no-fund \
 && node -e "new (require('better-sqlite3'))(':memory:').close()" \
 && node --input-type=module -e "await import('@duckdb/node-api')" \
 && npm cache clean --force

# ---- runtime ----
FROM ${NODE_IMAGE} AS runtime
# The image's defaults are SYNCLINE_DEFAULT_* variables: they apply only where the mounted
# config says nothing (its `state:`, `server.port` win), while a variable the user sets
# (SYNCLINE_CONFIG, SYNCLINE_STATE, PORT, SYNCLINE_HOST, SYNCLINE_LOG_LEVEL) still wins over
# the config. `syncline check` shows where each setting came from.
ENV NODE_ENV=production \
    MALLOC_ARENA_MAX=2 \
    SYNCLINE_DEFAULT_CONFIG=/etc/syncline/syncline.yaml \
    SYNCLINE_DEFAULT_STATE=/var/lib/syncline/state.db
WORKDIR /app
# Same base image as the build stage, so the native modules match its glibc.
COPY --from=deps --chown=root:root /app ./
# The code is owned by root and read-only to the service; only the state volume, the config
# directory and the quick start's own .syncline/ belong to the unprivileged `node` user.
RUN mkdir -p /var/lib/syncline /etc/syncline /app/examples/quickstart/.syncline \
 && chown node:node /var/lib/syncline /app/examples/quickstart/.syncline
VOLUME ["/var/lib/syncline"]
USER node
EXPOSE 8080
# Liveness only (the process answers); orchestrators should gate traffic on /readyz.
# `syncline health` asks /healthz at the port and address the service resolved from the same
# config and environment (a config's server.port included), loading no plugin.
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "bin/syncline.js", "health"]
# SIGTERM starts the graceful shutdown: no new runs, batches in flight finish and commit
# within server.shutdownGraceMs (default 7 s), then at most 1 s more to answer held requests
# and close connections: inside Docker's default 10 s stop timeout (and compose's 10 s,
# Kubernetes' 30 s). Raising shutdownGraceMs? Raise the stop timeout with it, to at least
# shutdownGraceMs + 3 s: `docker run --stop-timeout`, compose `stop_grace_period`,
# Kubernetes `terminationGracePeriodSeconds`.
STOPSIGNAL SIGTERM
# Node starts with the memory settings Syncline is measured with (src/cli/node-flags.ts, and
# MALLOC_ARENA_MAX above), so the command need not restart itself with them: one Node start.
ENTRYPOINT ["node", "--max-semi-space-size=16", "--heap-growing-percent=20", "bin/syncline.js"]
CMD ["serve"]
