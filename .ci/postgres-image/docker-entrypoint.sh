#!/usr/bin/env bash
# Entrypoint following the official `postgres` image's contract, so Aspire (and anyone) can run this image like that one:
# POSTGRES_USER / POSTGRES_PASSWORD / POSTGRES_DB (and *_FILE), POSTGRES_INITDB_ARGS, POSTGRES_HOST_AUTH_METHOD,
# /docker-entrypoint-initdb.d (*.sh, *.sql, *.sql.gz), PGDATA, PGPORT; extra arguments go to postgres.
set -euo pipefail

# VAR_FILE=/run/secrets/x → VAR=<contents>; both at once is ambiguous.
file_env() {
  local var="$1" file_var="${1}_FILE" def="${2:-}"
  if [[ -n "${!var:-}" && -n "${!file_var:-}" ]]; then
    echo "error: both $var and $file_var are set (but are exclusive)" >&2
    exit 1
  fi
  local val="$def"
  if [[ -n "${!var:-}" ]]; then
    val="${!var}"
  elif [[ -n "${!file_var:-}" ]]; then
    val="$(<"${!file_var}")"
  fi
  export "$var"="$val"
  unset "$file_var"
}

# `docker run image -c key=value` means `postgres -c key=value`.
if [[ "${1:-}" == -* ]]; then
  set -- postgres "$@"
fi

# Only the server gets set up; any other command (bash, psql, …) runs as given.
if [[ "${1:-}" != postgres ]] || [[ " $* " =~ \ (--help|--describe-config|-V|--version|-C)\  ]]; then
  exec "$@"
fi

export PGDATA="${PGDATA:-/var/lib/postgresql/data}"

# As root: fix ownership of mounted volumes, then re-run this script as postgres (exec keeps PID 1 for signals).
if [[ "$(id -u)" == 0 ]]; then
  mkdir -p "$PGDATA" /var/run/postgresql
  chmod 00700 "$PGDATA" || :
  chmod 03775 /var/run/postgresql || :
  find "$PGDATA" /var/run/postgresql \! -user postgres -exec chown postgres:postgres '{}' +
  exec setpriv --reuid=postgres --regid=postgres --init-groups -- "${BASH_SOURCE[0]}" "$@"
fi

if [[ ! -s "$PGDATA/PG_VERSION" ]]; then
  file_env POSTGRES_PASSWORD
  file_env POSTGRES_USER postgres
  file_env POSTGRES_DB "$POSTGRES_USER"
  file_env POSTGRES_INITDB_ARGS
  : "${POSTGRES_HOST_AUTH_METHOD:=}"

  if [[ -z "$POSTGRES_PASSWORD" && "$POSTGRES_HOST_AUTH_METHOD" != trust ]]; then
    cat >&2 <<'EOM'
Error: Database is uninitialized and superuser password is not specified.
       You must specify POSTGRES_PASSWORD to a non-empty value for the superuser.
       For example, "-e POSTGRES_PASSWORD=password" on "docker run".
       To allow all connections without a password, use "-e POSTGRES_HOST_AUTH_METHOD=trust" (not recommended).
EOM
    exit 1
  fi

  # initdb refuses a non-empty directory, so existing files are never overwritten.
  # shellcheck disable=SC2086 # POSTGRES_INITDB_ARGS is a word list by contract.
  if [[ -n "$POSTGRES_PASSWORD" ]]; then
    # Through a pipe so the password never appears in a process listing or a file.
    initdb --username="$POSTGRES_USER" --pwfile=<(printf '%s\n' "$POSTGRES_PASSWORD") $POSTGRES_INITDB_ARGS
  else
    initdb --username="$POSTGRES_USER" $POSTGRES_INITDB_ARGS
  fi

  shift # drop "postgres": the rest are server options, e.g. -c key=value
  # The default method follows password_encryption (scram-sha-256), as in the official image.
  : "${POSTGRES_HOST_AUTH_METHOD:=$(postgres -C password_encryption "$@")}"
  printf '\nhost all all all %s\n' "$POSTGRES_HOST_AUTH_METHOD" >>"$PGDATA/pg_hba.conf"

  # Temporary server on the unix socket only, so nothing connects before initialisation is complete.
  PGUSER="$POSTGRES_USER" pg_ctl -D "$PGDATA" -w start \
    -o "$(printf '%q ' "$@" -c listen_addresses= -p "${PGPORT:-5432}")"
  export PGPASSWORD="${PGPASSWORD:-$POSTGRES_PASSWORD}"
  psql_init=(psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --no-password --no-psqlrc)

  if [[ "$POSTGRES_DB" != postgres ]]; then
    "${psql_init[@]}" --dbname postgres --set db="$POSTGRES_DB" <<<'CREATE DATABASE :"db";'
  fi
  shopt -s nullglob
  for f in /docker-entrypoint-initdb.d/*; do
    case "$f" in
      *.sh)
        # Executable scripts run on their own; others are sourced (they can use psql_init and the variables above).
        # shellcheck source=/dev/null
        if [[ -x "$f" ]]; then echo "running $f"; "$f"; else echo "sourcing $f"; set +u; . "$f"; set -u; fi ;;
      *.sql) echo "running $f"; "${psql_init[@]}" --dbname "$POSTGRES_DB" -f "$f" ;;
      *.sql.gz) echo "running $f"; gunzip -c "$f" | "${psql_init[@]}" --dbname "$POSTGRES_DB" ;;
      *) echo "ignoring $f" ;;
    esac
  done

  PGUSER="$POSTGRES_USER" pg_ctl -D "$PGDATA" -m fast -w stop
  unset PGPASSWORD
  echo "PostgreSQL init process complete; ready for start up."
  set -- postgres "$@"
else
  echo "PostgreSQL Database directory appears to contain a database; Skipping initialization"
fi

exec "$@"
