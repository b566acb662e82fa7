#!/usr/bin/env bash
# Set up a local PostgreSQL for Coursedeck's test suite, idempotently:
#   install it from Debian when missing, start it on 127.0.0.1:5432, and create the role
#   `coursedeck` (password `coursedeck`, LOGIN CREATEDB: pytest-django creates its own test
#   database) and the database `coursedeck`. Then: `make test-postgres`.
# Needs root (CI runs as root; a developer runs `sudo .ci/postgres.sh`).
set -euo pipefail

ROLE=coursedeck
PASSWORD=coursedeck
DATABASE=coursedeck
PORT=5432

if [ "$(id -u)" != "0" ]; then
    echo "postgres.sh needs root to install and start PostgreSQL: run 'sudo $0'." >&2
    exit 1
fi

latest_version() {
    ls /usr/lib/postgresql 2>/dev/null | sort -V | tail -n 1
}

if [ -z "$(latest_version)" ] || ! command -v pg_ctlcluster >/dev/null; then
    echo "Installing PostgreSQL from Debian..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
VERSION="$(latest_version)"
if [ -z "$VERSION" ]; then
    echo "PostgreSQL did not install (no /usr/lib/postgresql/<version>)." >&2
    exit 1
fi

# The package makes a cluster `main`; create it if a minimal image skipped that.
if ! pg_lsclusters --no-header | awk '{print $1, $2}' | grep -qx "$VERSION main"; then
    pg_createcluster --port "$PORT" "$VERSION" main >/dev/null
fi
CLUSTER_PORT="$(pg_lsclusters --no-header | awk -v v="$VERSION" '$1 == v && $2 == "main" {print $3}')"
if [ "$CLUSTER_PORT" != "$PORT" ]; then
    echo "PostgreSQL $VERSION/main listens on port $CLUSTER_PORT, not $PORT:" \
        "set DATABASE_URL (or make's POSTGRES_URL) to use port $CLUSTER_PORT." >&2
fi

if ! pg_ctlcluster "$VERSION" main status >/dev/null 2>&1; then
    echo "Starting PostgreSQL $VERSION/main on 127.0.0.1:$CLUSTER_PORT..."
    # listen_addresses: loopback only, whatever the cluster's config says.
    pg_ctlcluster "$VERSION" main start -o "-c listen_addresses=127.0.0.1"
fi
for _ in $(seq 1 30); do
    pg_isready -q -h 127.0.0.1 -p "$CLUSTER_PORT" && break
    sleep 1
done
pg_isready -h 127.0.0.1 -p "$CLUSTER_PORT"

as_postgres() {
    runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p "$CLUSTER_PORT" "$@"
}
as_postgres <<SQL
DO \$\$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$ROLE') THEN
        CREATE ROLE $ROLE LOGIN CREATEDB PASSWORD '$PASSWORD';
    ELSE
        ALTER ROLE $ROLE LOGIN CREATEDB PASSWORD '$PASSWORD';
    END IF;
END
\$\$;
SQL
if [ "$(as_postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DATABASE'")" != "1" ]; then
    as_postgres -c "CREATE DATABASE $DATABASE OWNER $ROLE"
fi
echo "PostgreSQL ready: DATABASE_URL=postgres://$ROLE:$PASSWORD@127.0.0.1:$CLUSTER_PORT/$DATABASE"
