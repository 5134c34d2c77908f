# One image per service: docker build -f deploy/docker/service.Dockerfile --build-arg SERVICE=queue .
# SERVICE is queue, concert or payment; PORT is its port (8081, 8082, 8083 by convention; the
# service listens on $PORT, so it may be changed at run time too). The build context is the
# repository root (see .dockerignore).
ARG SERVICE=queue

# --- build: Debian's toolchain and libraries, the release preset, only the one target ---
FROM debian:bookworm AS build
ARG SERVICE
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      build-essential cmake ninja-build pkg-config libboost1.81-dev libpqxx-dev rapidjson-dev \
      catch2 \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY CMakeLists.txt CMakePresets.json ./
COPY cmake cmake
COPY libs libs
COPY services services
COPY tests tests
RUN case "$SERVICE" in queue|concert|payment) ;; \
      *) echo "SERVICE must be queue, concert or payment, got '$SERVICE'" >&2; exit 1 ;; esac \
 && cmake --preset release \
 && cmake --build --preset release --target "$SERVICE-service" \
 && strip --strip-unneeded -o /service "build/release/services/$SERVICE/$SERVICE-service"

# --- run: bookworm-slim with the runtime libraries only, as a non-root user ---
FROM debian:bookworm-slim
ARG SERVICE
ARG PORT=8081
# libpqxx-6.4 brings libpq5 and libstdc++6; Boost is header-only. No curl: the health check is
# a bash /dev/tcp request (deploy/docker/healthcheck.sh).
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libpqxx-6.4 \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 ticketing \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin ticketing
COPY --from=build /service /usr/local/bin/service
COPY deploy/docker/healthcheck.sh /usr/local/bin/healthcheck
LABEL org.opencontainers.image.title="ticketing-$SERVICE" \
      org.opencontainers.image.description="concert ticketing: the $SERVICE service"
ENV SERVICE=$SERVICE \
    PORT=$PORT
USER 10001:10001
EXPOSE $PORT
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["/usr/local/bin/healthcheck", "/healthz"]
# SIGTERM: the service stops accepting, finishes what is in flight and exits.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/service"]
