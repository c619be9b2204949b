#!/usr/bin/env bash
# The production layout, run on loopback and checked from outside: nginx (TLS) in front of
# gunicorn with the production settings, on PostgreSQL.
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/karnameh_deploy make deploy-check
#
# It makes its own database (the URL's name + "_check", on the same server; the database the
# URL names is left alone), migrates it with the production settings, loads the demo (with the
# development settings: the demo refuses to run with DEBUG off), collects the static files,
# makes a read-only login on the same database as a stand-in for a replica
# (DATABASE_REPLICA_URL: the portal reads there, and a write sent there would fail),
# makes a throwaway self-signed certificate, starts gunicorn with deploy/gunicorn.conf.py and
# nginx with deploy/nginx/karnameh.conf rendered for loopback ports, and checks over HTTP what
# a browser and a load balancer see (deploy/check_http.py). Everything it started is stopped,
# and the database and the temporary folder removed, when it exits, whatever happened.
#
# Needs nginx, openssl and curl (Debian: apt-get install nginx-light openssl curl) and .venv
# (make setup).
# Runs as root (CI) or as any user. Ports: DEPLOY_CHECK_HTTP_PORT (18080),
# DEPLOY_CHECK_HTTPS_PORT (18443), DEPLOY_CHECK_APP_PORT (18001).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BIN="$ROOT/.venv/bin"
HTTP_PORT="${DEPLOY_CHECK_HTTP_PORT:-18080}"
HTTPS_PORT="${DEPLOY_CHECK_HTTPS_PORT:-18443}"
APP_PORT="${DEPLOY_CHECK_APP_PORT:-18001}"

step() { printf '\n--- %s\n' "$*"; }
fail() {
  printf 'deploy-check FAILED: %s\n' "$*" >&2
  exit 1
}

case "${DATABASE_URL:-}" in
  postgres://* | postgresql://*) ;;
  *)
    echo "make deploy-check needs PostgreSQL: set DATABASE_URL=postgres://user@host:5432/name" >&2
    exit 2
    ;;
esac
# Debian puts nginx in /usr/sbin, which a non-root user's PATH may lack.
PATH="$PATH:/usr/sbin:/sbin"
for tool in nginx openssl curl; do
  command -v "$tool" >/dev/null 2>&1 \
    || fail "$tool is not installed (Debian: apt-get install nginx-light openssl curl)"
done
[ -x "$BIN/gunicorn" ] || fail "no $BIN/gunicorn: run make setup first"
"$BIN/python" -c "" 2>/dev/null || fail "$BIN/python does not run for $(id -un)"

for port in "$HTTP_PORT" "$HTTPS_PORT" "$APP_PORT"; do
  if "$BIN/python" -c "import socket,sys; s=socket.socket(); sys.exit(s.connect_ex(('127.0.0.1', $port)) != 0)"; then
    fail "something already listens on 127.0.0.1:$port (set DEPLOY_CHECK_*_PORT)"
  fi
done

# The database: the URL's own name with a suffix, made through the server's "postgres" database.
read -r CHECK_DB CHECK_URL ADMIN_URL REPLICA_URL < <(
  "$BIN/python" - "$DATABASE_URL" <<'PY'
import sys
from urllib.parse import urlsplit, urlunsplit

url = urlsplit(sys.argv[1])
name = url.path.lstrip("/") or "karnameh"
check = f"{name}_check"
host = url.hostname or "127.0.0.1"
auth = f"{check}_replica" + (f":{url.password}" if url.password else "")
replica = urlunsplit(url._replace(netloc=f"{auth}@{host}:{url.port or 5432}", path=f"/{check}"))
print(
    check,
    urlunsplit(url._replace(path=f"/{check}")),
    urlunsplit(url._replace(path="/postgres")),
    replica,
)
PY
)

database() {
  # database create|drop: the database, and the read-only role that stands in for a replica
  "$BIN/python" - "$ADMIN_URL" "$CHECK_DB" "$1" <<'PY'
import sys

import psycopg
from psycopg import sql

admin, name, action = sys.argv[1:]
role = sql.Identifier(f"{name}_replica")
with psycopg.connect(admin, autocommit=True) as conn:
    # FORCE: a connection left by a killed run must not keep the database alive.
    conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
    conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(role))
    if action == "create":
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
PY
}

replica_role() {
  # A login that can only read, as a hot standby can only be read: what the application sends
  # it (DATABASE_REPLICA_URL) must be reads. Same password as DATABASE_URL's user, if any.
  "$BIN/python" - "$CHECK_URL" "$CHECK_DB" <<'PY'
import sys
from urllib.parse import unquote, urlsplit

import psycopg
from psycopg import sql

url, name = sys.argv[1:]
role = sql.Identifier(f"{name}_replica")
password = unquote(urlsplit(url).password or "")
with psycopg.connect(url, autocommit=True) as conn:
    create = sql.SQL("CREATE ROLE {} LOGIN").format(role)
    if password:
        create = sql.SQL("{} PASSWORD {}").format(create, sql.Literal(password))
    conn.execute(create)
    conn.execute(sql.SQL("ALTER ROLE {} SET default_transaction_read_only = on").format(role))
    conn.execute(sql.SQL("GRANT SELECT ON ALL TABLES IN SCHEMA public TO {}").format(role))
PY
}

stop() {
  # stop PID SIGNAL: signal the process, wait up to 30 s, then kill it.
  local pid="$1" signal="$2"
  [ -n "$pid" ] || return 0
  kill "-$signal" "$pid" 2>/dev/null || return 0
  for _ in $(seq 60); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  local rc=$?
  set +e
  stop "$NGINX_PID" QUIT
  stop "$GUNICORN_PID" TERM
  if [ "$rc" -ne 0 ]; then
    for log in "$WORK"/gunicorn.error.log "$WORK"/nginx/logs/error.log "$WORK"/nginx/logs/karnameh.error.log; do
      if [ -s "$log" ]; then
        printf '\n--- last lines of %s\n' "${log#"$WORK"/}" >&2
        tail -n 25 "$log" >&2
      fi
    done
  fi
  if [ "$DB_MADE" -eq 1 ]; then
    database drop && echo "database $CHECK_DB dropped"
  fi
  rm -rf "$WORK"
  exit "$rc"
}

# From here on, everything the check makes is undone when it exits.
WORK="$(mktemp -d "${TMPDIR:-/tmp}/karnameh-deploy.XXXXXX")"
# nginx's workers run as nobody when nginx is started by root: they must reach the static
# files and the error pages under this folder (nothing secret is in it but the throwaway
# certificate's key, for localhost, deleted at the end).
chmod 755 "$WORK"
GUNICORN_PID=""
NGINX_PID=""
DB_MADE=0
trap cleanup EXIT
trap 'exit 130' INT TERM

SECRET_KEY="$("$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(64))')"
export DATABASE_URL="$CHECK_URL"
export KARNAMEH_VAR_DIR="$WORK/var"
# What this check covers is local disk; a caller's S3 settings must not send files elsewhere.
export STORAGE_BACKEND=local
mkdir -p "$KARNAMEH_VAR_DIR"
PROD=(
  env
  DJANGO_SETTINGS_MODULE=config.settings.prod
  SECRET_KEY="$SECRET_KEY"
  ALLOWED_HOSTS=localhost,127.0.0.1
  CLIENT_IP_HEADER=HTTP_X_REAL_IP
  LOG_FORMAT=json
)

step "1. database $CHECK_DB (from DATABASE_URL, dropped at the end)"
database create
DB_MADE=1
echo "created"

step "2. migrate (production settings)"
"${PROD[@]}" "$BIN/karnameh" migrate --noinput | tail -n 1

step "3. demo (development settings: it refuses to load with DEBUG off)"
DJANGO_SETTINGS_MODULE=config.settings.dev "$BIN/karnameh" demo | tail -n 3

step "3b. a read-only login on the same database, as the replica (DATABASE_REPLICA_URL)"
replica_role
echo "${CHECK_DB}_replica: SELECT only, every transaction read-only"

step "4. collectstatic (production settings: hashed names and .gz files)"
"${PROD[@]}" "$BIN/karnameh" collectstatic --noinput | tail -n 1

step "5. throwaway self-signed certificate for localhost"
mkdir -p "$WORK/tls"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=localhost" \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
  -keyout "$WORK/tls/key.pem" -out "$WORK/tls/cert.pem" 2>/dev/null
openssl x509 -in "$WORK/tls/cert.pem" -noout -subject -enddate

step "6. gunicorn (deploy/gunicorn.conf.py, production settings) on 127.0.0.1:$APP_PORT"
"${PROD[@]}" GUNICORN_BIND="127.0.0.1:$APP_PORT" DATABASE_REPLICA_URL="$REPLICA_URL" \
  "$BIN/gunicorn" -c deploy/gunicorn.conf.py \
  >"$WORK/gunicorn.access.log" 2>"$WORK/gunicorn.error.log" &
GUNICORN_PID=$!
for _ in $(seq 60); do
  kill -0 "$GUNICORN_PID" 2>/dev/null || fail "gunicorn exited at start"
  if curl -fsS -o /dev/null -H "Host: localhost" "http://127.0.0.1:$APP_PORT/healthz" 2>/dev/null; then
    break
  fi
  sleep 0.5
done
curl -fsS -H "Host: localhost" "http://127.0.0.1:$APP_PORT/healthz" >/dev/null \
  || fail "gunicorn does not answer /healthz on 127.0.0.1:$APP_PORT"
workers="$(grep -c '"Booting worker' "$WORK/gunicorn.error.log" || true)"
echo "up: $workers workers (cores + 1 = $(($(nproc) + 1)))"

step "7. nginx: deploy/nginx/karnameh.conf rendered for loopback"
NGINX="$WORK/nginx"
mkdir -p "$NGINX/logs" "$NGINX/tmp" "$NGINX/cache" "$WORK/app/deploy/nginx"
# The error pages, where nobody (nginx's workers under root) can read them whatever the
# checkout's permissions.
cp -r deploy/nginx/errors "$WORK/app/deploy/nginx/"
sed -e "s|@SERVER_NAME@|localhost|g" \
  -e "s|@HTTP_PORT@|$HTTP_PORT|g" \
  -e "s|@HTTPS_PORT@|$HTTPS_PORT|g" \
  -e "s|@HTTPS_PORT_SUFFIX@|:$HTTPS_PORT|g" \
  -e "s|@TLS_CERTIFICATE@|$WORK/tls/cert.pem|g" \
  -e "s|@TLS_CERTIFICATE_KEY@|$WORK/tls/key.pem|g" \
  -e "s|@UPSTREAM@|127.0.0.1:$APP_PORT|g" \
  -e "s|@STATIC_ROOT@|$KARNAMEH_VAR_DIR/static|g" \
  -e "s|@APP_DIR@|$WORK/app|g" \
  -e "s|@CACHE_DIR@|$NGINX/cache|g" \
  -e "s|@LOG_DIR@|$NGINX/logs|g" \
  deploy/nginx/karnameh.conf >"$NGINX/karnameh.conf"
if grep -n '^[^#]*@[A-Z_]*@' "$NGINX/karnameh.conf"; then
  fail "placeholders left in the rendered nginx configuration (above)"
fi
# The part Debian's /etc/nginx/nginx.conf plays: the process, its paths, the http block.
user_line=""
if [ "$(id -u)" -eq 0 ]; then
  user_line="user nobody nogroup;"
fi
cat >"$NGINX/nginx.conf" <<EOF
$user_line
worker_processes 1;
pid $NGINX/nginx.pid;
error_log $NGINX/logs/error.log warn;
events { worker_connections 256; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    client_body_temp_path $NGINX/tmp/body;
    proxy_temp_path $NGINX/tmp/proxy;
    fastcgi_temp_path $NGINX/tmp/fastcgi;
    uwsgi_temp_path $NGINX/tmp/uwsgi;
    scgi_temp_path $NGINX/tmp/scgi;
    access_log $NGINX/logs/access.log;
    include $NGINX/karnameh.conf;
}
EOF
nginx -t -q -p "$NGINX" -c "$NGINX/nginx.conf" || fail "nginx refused the configuration"
nginx -p "$NGINX" -c "$NGINX/nginx.conf" -g "daemon off;" &
NGINX_PID=$!
for _ in $(seq 40); do
  kill -0 "$NGINX_PID" 2>/dev/null || fail "nginx exited at start"
  if "$BIN/python" -c "import socket,sys; s=socket.socket(); sys.exit(s.connect_ex(('127.0.0.1', $HTTPS_PORT)))"; then
    break
  fi
  sleep 0.25
done
echo "up: http://localhost:$HTTP_PORT, https://localhost:$HTTPS_PORT$([ -n "$user_line" ] && echo ", workers as nobody")"

step "8. through nginx, as a browser and a load balancer would"
"$BIN/python" deploy/check_http.py \
  --http-port "$HTTP_PORT" --https-port "$HTTPS_PORT" --cafile "$WORK/tls/cert.pem" \
  --static-root "$KARNAMEH_VAR_DIR/static" --gunicorn-access-log "$WORK/gunicorn.access.log" \
  || fail "a check through nginx failed (above)"

step "9. the logs are JSON: the application's (with the signed-in user) and nginx's"
"$BIN/python" - "$WORK/gunicorn.error.log" "$NGINX/logs/karnameh.access.log" <<'PY'
import json
import sys

nginx = [json.loads(line) for line in open(sys.argv[2], encoding="utf-8") if line.strip()]
assert nginx, "nginx's access log is empty"
print(f"nginx: {len(nginx)} JSON lines, e.g. {json.dumps(nginx[-1], ensure_ascii=False)}")
lines = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8") if line.strip()]
requests = [line for line in lines if line.get("logger") == "karnameh.request"]
signed_in = [line for line in requests if line.get("user_id")]
assert requests, "no karnameh.request line"
assert signed_in, "no request line with a user_id"
sample = signed_in[-1]
keys = ("time", "level", "method", "path", "status", "user_id", "duration_ms")
print(f"{len(lines)} JSON lines ({len(requests)} request lines), e.g.")
print(json.dumps({k: sample[k] for k in keys}, ensure_ascii=False))
PY

step "10. the portal's pages were read from the replica's login (a read-only one: no write went there)"
"$BIN/python" - "$ADMIN_URL" "$CHECK_DB" "$WORK/gunicorn.error.log" <<'PY'
import sys

import psycopg

admin, name, log = sys.argv[1:]
text = open(log, encoding="utf-8").read()
assert "replica unreachable" not in text, "the application could not reach the replica's login"
with psycopg.connect(admin) as conn:
    # The workers keep their connections (DB_CONN_MAX_AGE, 60 s): the replica's are still open.
    found = conn.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE usename = %s AND datname = %s",
        [f"{name}_replica", name],
    ).fetchone()
assert found and found[0] > 0, "no connection from the replica's login: nothing was read there"
print(f"{found[0]} connection(s) of {name}_replica open, from the workers that served the portal")
PY

printf '\ndeploy-check passed\n'
