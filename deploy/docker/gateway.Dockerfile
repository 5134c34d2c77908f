# The API gateway: Debian's nginx (auth_request built in) on bookworm-slim, its configuration
# rendered at start from deploy/gateway/nginx.conf.template by deploy/gateway/render.sh.
#   docker build -f deploy/docker/gateway.Dockerfile -t ticketing/gateway .
# Run-time environment (see gateway-entrypoint.sh): GATEWAY_PORT (8080), QUEUE_UPSTREAM
# (queue:8081), CONCERT_UPSTREAM (concert:8082), PAYMENT_UPSTREAM (payment:8083),
# ISSUE_RATE_LIMIT_PER_IP (10), GATEWAY_RESOLVE_INTERVAL (2: how often the replicas' addresses are
# looked up again).
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
# The web pages (services/web) are not in the image yet. Their place: a stage of their own that
# builds services/web/dist, copied to /opt/gateway/web, with WEB_ROOT=/opt/gateway/web below
# (render.sh serves / and /admin/ from WEB_ROOT; empty: no pages, everything else stays 404).
COPY deploy/docker/gateway-entrypoint.sh /usr/local/bin/gateway-entrypoint
COPY deploy/docker/healthcheck.sh /usr/local/bin/healthcheck
ENV GATEWAY_PORT=8080 \
    GATEWAY_RUN_DIR=/var/lib/gateway \
    WEB_ROOT=
USER 10001:10001
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD ["/usr/local/bin/healthcheck", "/healthz", "8080"]
# SIGQUIT: nginx finishes the requests in flight, then exits.
STOPSIGNAL SIGQUIT
ENTRYPOINT ["/usr/local/bin/gateway-entrypoint"]
