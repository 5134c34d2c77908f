# postgres:15-bookworm made from Debian's own postgresql-15, for machines that reach no image
# registry (deploy/containers/base-images.sh builds it under that name). It keeps the contract
# docker-compose.yml relies on from the registry's image: POSTGRES_USER (postgres),
# POSTGRES_PASSWORD (required unless POSTGRES_HOST_AUTH_METHOD=trust), POSTGRES_DB (the user's
# name), the data directory at /var/lib/postgresql/data (PGDATA), scripts in
# /docker-entrypoint-initdb.d run once on an empty data directory, `postgres -c ...` as the
# command, pg_isready on the PATH, user postgres with uid and gid 999.
FROM debian:bookworm-slim
# Debian's package would create a cluster of its own at install; the entrypoint makes the one
# in PGDATA instead.
RUN groupadd --system --gid 999 postgres \
 && useradd --system --uid 999 --gid 999 --home-dir /var/lib/postgresql --shell /bin/bash postgres \
 && mkdir -p /etc/postgresql-common \
 && echo 'create_main_cluster = false' >/etc/postgresql-common/createcluster.conf \
 && apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql-15 \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /var/lib/postgresql/data /var/run/postgresql /docker-entrypoint-initdb.d \
 && chown -R postgres:postgres /var/lib/postgresql /var/run/postgresql \
 && chmod 700 /var/lib/postgresql/data
COPY postgres-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
ENV PATH=/usr/lib/postgresql/15/bin:$PATH \
    PGDATA=/var/lib/postgresql/data \
    LANG=C.UTF-8
VOLUME /var/lib/postgresql/data
EXPOSE 5432
# SIGINT: PostgreSQL's fast shutdown (rolls back open transactions, then exits cleanly).
STOPSIGNAL SIGINT
ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]
CMD ["postgres"]
