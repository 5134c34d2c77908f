# The API gateway: Debian's nginx (auth_request built in) on bookworm-slim, its configuration
# rendered at start from deploy/gateway/nginx.conf.template by deploy/gateway/render.sh, and the
# web pages (services/web: / and /admin/) in /opt/gateway/web.
#   docker build -f deploy/docker/gateway.Dockerfile -t ticketing/gateway .
# PAGES=build (the default) builds the pages in the image's pages stage (Debian's Node.js 18 and
# npm, `npm ci` from the npm registry). PAGES=prebuilt copies services/web/dist built on the host
# instead (services/web/build.sh first): deploy/containers/test.sh uses it to keep CI short.
# Run-time environment (see gateway-entrypoint.sh): GATEWAY_PORT (8080), QUEUE_UPSTREAM
# (queue:8081), CONCERT_UPSTREAM (concert:8082), PAYMENT_UPSTREAM (payment:8083),
# ISSUE_RATE_LIMIT_PER_IP (10), GATEWAY_RESOLVE_INTERVAL (2: how often the replicas' addresses are
# looked up again), WEB_ROOT (/opt/gateway/web; empty: no pages).
ARG PAGES=build

# --- pages-build: the pinned toolchain of package-lock.json, then tsc and vite build ---
# The lock file comes before the sources, so a page change does not download the packages again.
FROM debian:bookworm-slim AS pages-build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nodejs npm \
      ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /web
COPY services/web/package.json services/web/package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY services/web/index.html services/web/tsconfig.json services/web/vite.config.ts ./
COPY services/web/admin admin
COPY services/web/public public
COPY services/web/src src
RUN npm run build

# --- pages-prebuilt: services/web/dist as the host built it (PAGES=prebuilt) ---
FROM debian:bookworm-slim AS pages-prebuilt
COPY services/web/dist /web/dist

# The pages the runtime stage takes. The default is spelled out for podman 4.3's buildah, which
# looks for a stage FROM names only among the --build-arg values (see service.Dockerfile).
FROM pages-${PAGES:-build} AS pages

FROM debian:bookworm-slim
# The run directory is sticky and open to all: a tmpfs mounted over it takes its mode (podman
# takes no uid= for a tmpfs and keeps it root's).
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nginx \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 gateway \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin gateway \
 && mkdir -p /var/lib/gateway && chown 10001:10001 /var/lib/gateway && chmod 1777 /var/lib/gateway
COPY deploy/gateway/render.sh deploy/gateway/nginx.conf.template deploy/gateway/web.conf.template \
     /opt/gateway/
# render.sh serves / and /admin/ and their hashed assets from WEB_ROOT.
COPY --from=pages /web/dist/index.html /web/dist/favicon.svg /opt/gateway/web/
COPY --from=pages /web/dist/admin /opt/gateway/web/admin
COPY --from=pages /web/dist/assets /opt/gateway/web/assets
COPY deploy/docker/gateway-entrypoint.sh /usr/local/bin/gateway-entrypoint
COPY deploy/docker/healthcheck.sh /usr/local/bin/healthcheck
ENV GATEWAY_PORT=8080 \
    GATEWAY_RUN_DIR=/var/lib/gateway \
    WEB_ROOT=/opt/gateway/web
USER 10001:10001
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD ["/usr/local/bin/healthcheck", "/healthz", "8080"]
# SIGQUIT: nginx finishes the requests in flight, then exits.
STOPSIGNAL SIGQUIT
ENTRYPOINT ["/usr/local/bin/gateway-entrypoint"]
