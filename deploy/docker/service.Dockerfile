# One image per service: docker build -f deploy/docker/service.Dockerfile --build-arg SERVICE=queue .
# SERVICE is queue, concert or payment; PORT is its port (8081, 8082, 8083 by convention; the
# service listens on $PORT, so it may be changed at run time too). The build context is the
# repository root (see .dockerignore).
# BINARY=build (the default) compiles the service in the image's build stage. BINARY=prebuilt
# copies a release binary built on the host instead (`cmake --preset release` and
# `cmake --build --preset release --target <service>-service` first; it must be built on
# Debian bookworm, like the runtime stage): deploy/containers/test.sh uses it to keep CI short.
ARG SERVICE=queue
ARG BINARY=build

# --- build: Debian's toolchain and libraries, the release preset ---
# The package layer comes before any source, so a code change does not reinstall the packages.
# All three services are built in one layer that takes no build argument: the images of the
# other two services reuse it instead of compiling the libraries again.
FROM debian:bookworm AS build
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
RUN cmake --preset release \
 && cmake --build --preset release --target queue-service concert-service payment-service
ARG SERVICE
RUN case "$SERVICE" in queue|concert|payment) ;; \
      *) echo "SERVICE must be queue, concert or payment, got '$SERVICE'" >&2; exit 1 ;; esac \
 && strip --strip-unneeded -o /service "build/release/services/$SERVICE/$SERVICE-service"

# --- prebuilt: the host's release binary (BINARY=prebuilt) ---
FROM debian:bookworm-slim AS prebuilt
ARG SERVICE
COPY build/release/services/$SERVICE/$SERVICE-service /service

# The binary the runtime stage takes: the build stage's or the prebuilt one. The default is
# spelled out here too: podman 4.3's buildah looks for the stage FROM names only among the
# --build-arg values, and without one it would look for an image called "build".
FROM ${BINARY:-build} AS binary

# --- run: bookworm-slim with the runtime libraries only, as a non-root user ---
FROM debian:bookworm-slim
# libpqxx-6.4 brings libpq5 and libstdc++6; Boost is header-only. No curl: the health check is
# a bash /dev/tcp request (deploy/docker/healthcheck.sh). Before the ARGs, so that the three
# service images share this layer.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libpqxx-6.4 \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 ticketing \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin ticketing
ARG SERVICE
ARG PORT=8081
COPY --from=binary /service /usr/local/bin/service
COPY deploy/docker/healthcheck.sh /usr/local/bin/healthcheck
LABEL org.opencontainers.image.title="ticketing-$SERVICE" \
      org.opencontainers.image.description="concert ticketing: the $SERVICE service"
# A container's own network namespace is its boundary: listen on all of its interfaces (the
# service's default is 127.0.0.1); INTERNAL_API_KEY still guards every call.
ENV SERVICE=$SERVICE \
    PORT=$PORT \
    LISTEN_ADDRESS=0.0.0.0
USER 10001:10001
EXPOSE $PORT
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["/usr/local/bin/healthcheck", "/healthz"]
# SIGTERM: the service stops accepting, finishes what is in flight and exits.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/service"]
