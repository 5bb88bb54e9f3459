#!/usr/bin/env bash
# The production profile on one machine, on loopback: gunicorn (several workers), Celery workers
# and beat on Redis, the machine's PostgreSQL as primary and a streaming replica (pg_basebackup,
# port 5433) that serves reports and dashboards.
#   deploy/prod.sh up     start everything (idempotent) and wait until /readyz answers
#   deploy/prod.sh down   stop everything this script started (data is kept)
#   deploy/prod.sh env    print the environment the processes run with
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
RUN="$ROOT/var/prod"
PY="$ROOT/.venv/bin"
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
PRIMARY_PORT=${PRIMARY_PORT:-5432}
REPLICA_PORT=${REPLICA_PORT:-5433}
REPLICA_DIR=${REPLICA_DIR:-/var/lib/postgresql/complaintdesk-replica}
APP_PORT=${APP_PORT:-8100}
WORKERS=${WORKERS:-4}
DB=${PROD_DB:-complaintdesk}
mkdir -p "$RUN/metrics" "$RUN/media"

[ -f "$RUN/secret" ] || "$PY/python" -c 'import secrets; print(secrets.token_urlsafe(64))' > "$RUN/secret"

export DJANGO_SETTINGS_MODULE=config.django.production
export SECRET_KEY; SECRET_KEY=$(cat "$RUN/secret")
export DATABASE_URL="postgres://postgres@127.0.0.1:$PRIMARY_PORT/$DB"
export REPLICA_DATABASE_URL="postgres://postgres@127.0.0.1:$REPLICA_PORT/$DB"
export CELERY_BROKER_URL=redis://127.0.0.1:6379/2 REDIS_URL=redis://127.0.0.1:6379/3
export ALLOWED_HOSTS=127.0.0.1,localhost CSRF_TRUSTED_ORIGINS="http://127.0.0.1:$APP_PORT"
# Loopback without TLS: the proxy that would terminate HTTPS is not there.
export SECURE_SSL_REDIRECT=0 SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0 SECURE_HSTS_SECONDS=0
export PROMETHEUS_MULTIPROC_DIR="$RUN/metrics" LOG_FORMAT=json MEDIA_ROOT="$RUN/media"
export DB_CONN_MAX_AGE=60

as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

replica_up() {
  if pg_isready -q -h 127.0.0.1 -p "$REPLICA_PORT"; then return; fi
  local hba; hba=$(psql -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -Atc "show hba_file")
  if ! grep -qE '^host\s+replication\s+all\s+127\.0\.0\.1/32' "$hba"; then
    echo "host replication all 127.0.0.1/32 trust" >> "$hba"
    psql -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -qAtc "select pg_reload_conf()" >/dev/null
  fi
  if [ ! -f "$REPLICA_DIR/standby.signal" ]; then
    as_postgres rm -rf "$REPLICA_DIR"
    as_postgres "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -D "$REPLICA_DIR" -R -X stream -c fast
    as_postgres bash -c "cat > '$REPLICA_DIR/postgresql.conf' <<EOF
port = $REPLICA_PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '/tmp'
hot_standby = on
max_connections = 200
shared_buffers = 256MB
EOF
echo 'local all all trust
host all all 127.0.0.1/32 trust' > '$REPLICA_DIR/pg_hba.conf'
touch '$REPLICA_DIR/pg_ident.conf'"
  fi
  as_postgres "$PG_BIN/pg_ctl" -D "$REPLICA_DIR" -l "$REPLICA_DIR/replica.log" -w start >/dev/null
}

up() {
  pg_isready -q -h 127.0.0.1 -p "$PRIMARY_PORT" || { echo "PostgreSQL is not running on $PRIMARY_PORT"; exit 1; }
  redis-cli -h 127.0.0.1 ping >/dev/null || { echo "Redis is not running on 6379"; exit 1; }
  psql -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -Atc "select 1 from pg_database where datname='$DB'" | grep -q 1 \
    || createdb -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres "$DB"
  "$PY/python" manage.py migrate --noinput -v 0
  "$PY/python" manage.py collectstatic --noinput -v 0
  "$PY/python" manage.py setup_demo
  replica_up
  rm -f "$RUN"/metrics/*.db
  alive "$RUN/gunicorn.pid" || "$PY/gunicorn" config.wsgi -w "$WORKERS" -b "127.0.0.1:$APP_PORT" \
    --daemon --pid "$RUN/gunicorn.pid" --access-logfile "$RUN/access.log" --error-logfile "$RUN/gunicorn.log" \
    --timeout 60
  alive "$RUN/worker.pid" || "$PY/celery" -A config worker -l info --concurrency 2 --detach \
    --pidfile "$RUN/worker.pid" --logfile "$RUN/worker.log"
  alive "$RUN/beat.pid" || "$PY/celery" -A config beat -l info --detach --pidfile "$RUN/beat.pid" \
    --logfile "$RUN/beat.log" --schedule "$RUN/beat-schedule"
  for _ in $(seq 1 60); do
    if curl -fsS "http://127.0.0.1:$APP_PORT/readyz" >/dev/null 2>&1; then
      echo "ComplaintDesk (production profile) at http://127.0.0.1:$APP_PORT  —  reports read from the replica on :$REPLICA_PORT"
      curl -sS "http://127.0.0.1:$APP_PORT/readyz"; echo
      return
    fi
    sleep 1
  done
  echo "not ready after 60 s; see $RUN/*.log"; exit 1
}

down() {
  for name in gunicorn worker beat; do
    if alive "$RUN/$name.pid"; then kill "$(cat "$RUN/$name.pid")"; fi
  done
  for _ in $(seq 1 30); do
    alive "$RUN/gunicorn.pid" || alive "$RUN/worker.pid" || alive "$RUN/beat.pid" || break
    sleep 1
  done
  rm -f "$RUN"/*.pid
  if [ -f "$REPLICA_DIR/postmaster.pid" ]; then as_postgres "$PG_BIN/pg_ctl" -D "$REPLICA_DIR" -m fast -w stop >/dev/null; fi
  echo "production profile stopped (data kept in the '$DB' database and $REPLICA_DIR)"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  env) env | grep -E '^(DJANGO_SETTINGS_MODULE|DATABASE_URL|REPLICA_DATABASE_URL|CELERY_BROKER_URL|REDIS_URL|ALLOWED_HOSTS|PROMETHEUS_MULTIPROC_DIR|LOG_FORMAT)=' ;;
  *) echo "usage: $0 up|down|env"; exit 2 ;;
esac
