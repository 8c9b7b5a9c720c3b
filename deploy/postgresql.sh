# PostgreSQL under FerretDB (CIVIC_STORE_BACKEND=postgresql), sourced by deploy/infra.sh (uses its settings and
# helpers). Debian's `postgresql` package provides the binaries (installed with apt when missing); the cluster
# is this state folder's own: initdb into $PG_DATA, listening on a Unix socket in $PG_SOCKET_DIR only (no TCP
# port to collide with), trust authentication for that socket. PostgreSQL refuses to run as root, so as root
# the server runs as the package's `postgres` system user (or `civic-postgres`, created here when there is
# none), switched to with setpriv (which execs, so the pid file holds the server's own pid).

pg_bindir() {
  if [[ -n "${PG_BIN:-}" ]]; then echo "$PG_BIN"; return; fi
  local found
  found="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  if [[ -n "$found" ]]; then echo "$found"; return; fi
  if command -v pg_config >/dev/null 2>&1; then pg_config --bindir; fi
}

postgresql_install() {
  [[ -x "$(pg_bindir)/initdb" ]] && return 0
  if [[ "$(id -u)" -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    info "postgresql: not installed; installing Debian's postgresql package with apt-get..."
    mkdir -p "$LOG_DIR"
    {
      apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql
    } >"$LOG_DIR/postgresql-install.log" 2>&1 ||
      fail_with_log "$LOG_DIR/postgresql-install.log" "postgresql: apt-get install postgresql failed."
  fi
  [[ -x "$(pg_bindir)/initdb" ]] ||
    die "postgresql: initdb not found; install PostgreSQL (Debian: apt-get install postgresql) or set PG_BIN."
}

# The user the server runs as: ourselves, or as root a system user (PostgreSQL will not run as root).
pg_user() {
  if [[ "$(id -u)" -ne 0 ]]; then id -un; return; fi
  if id postgres >/dev/null 2>&1; then echo postgres; return; fi
  if ! id civic-postgres >/dev/null 2>&1; then
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin civic-postgres ||
      die "postgresql: could not create the system user civic-postgres"
  fi
  echo civic-postgres
}

# as_pg CMD...: run CMD as the server's user (exec, no extra process).
as_pg() {
  if [[ "$(id -u)" -ne 0 ]]; then "$@"; return; fi
  setpriv --reuid="$(pg_user)" --regid="$(id -g "$(pg_user)")" --init-groups -- "$@"
}

pg_ready() {
  as_pg "$(pg_bindir)/pg_isready" -q -h "$PG_SOCKET_DIR" -p "$PG_SOCKET_PORT" -d postgres -U postgres
}

postgresql_init() {
  [[ -f "$PG_DATA/PG_VERSION" ]] && return 0
  local user bin
  user="$(pg_user)"
  bin="$(pg_bindir)"
  mkdir -p "$PG_DATA" "$LOG_DIR"
  chown "$user:" "$PG_DATA"
  chmod 700 "$PG_DATA"
  info "postgresql: initdb $PG_DATA (as $user)"
  as_pg "$bin/initdb" -D "$PG_DATA" -U postgres --auth=trust --encoding=UTF8 --no-locale >"$LOG_DIR/postgresql-initdb.log" 2>&1 ||
    fail_with_log "$LOG_DIR/postgresql-initdb.log" "postgresql: initdb failed."
  # No TCP: a socket private to this state folder. Commits are durable (synchronous_commit on), as with
  # FerretDB's SQLite backend (WAL, synchronous FULL); CIVIC_PG_SETTINGS adds lines (e.g. to measure
  # synchronous_commit = off).
  cat >>"$PG_DATA/postgresql.conf" <<CONF

# Civic Inbox (deploy/postgresql.sh)
listen_addresses = ''
unix_socket_directories = '$PG_SOCKET_DIR'
port = $PG_SOCKET_PORT
max_connections = 200
shared_buffers = 256MB
$PG_SETTINGS
CONF
}

postgresql_up() {
  local t
  if our_pid "$PG_PID" "$(postgresql_marker)" >/dev/null; then
    info "postgresql: already running (pid $(<"$PG_PID"))"
  else
    postgresql_install
    postgresql_init
    mkdir -p "$PG_SOCKET_DIR" "$RUN_DIR" "$LOG_DIR"
    chown "$(pg_user):" "$PG_SOCKET_DIR"
    rm -f "$PG_DATA/postmaster.pid"  # left by a killed server; ours is checked by pid file and command line
    rotate_log "$PG_LOG"
    local run=("$(pg_bindir)/postgres" -D "$PG_DATA")
    if [[ "$(id -u)" -eq 0 ]]; then
      run=(setpriv --reuid="$(pg_user)" --regid="$(id -g "$(pg_user)")" --init-groups -- "${run[@]}")
    fi
    start_detached "$PG_PID" "$PG_LOG" "${run[@]}"
    info "postgresql: started (pid $(<"$PG_PID")), log $PG_LOG"
  fi
  t=$EPOCHREALTIME
  local deadline=$((SECONDS + READY_TIMEOUT))
  until pg_ready; do
    our_pid "$PG_PID" "$(postgresql_marker)" >/dev/null || { rm -f "$PG_PID"; fail_with_log "$PG_LOG" "postgresql exited during startup."; }
    ((SECONDS < deadline)) || fail_with_log "$PG_LOG" "postgresql did not become ready within ${READY_TIMEOUT}s."
    sleep 0.3
  done
  if [[ -z "$(as_pg "$(pg_bindir)/psql" -h "$PG_SOCKET_DIR" -p "$PG_SOCKET_PORT" -U postgres -d postgres -tAc \
      "SELECT 1 FROM pg_database WHERE datname = '$PG_DATABASE'")" ]]; then
    as_pg "$(pg_bindir)/createdb" -h "$PG_SOCKET_DIR" -p "$PG_SOCKET_PORT" -U postgres "$PG_DATABASE" ||
      die "postgresql: could not create the database $PG_DATABASE"
  fi
  info "postgresql: ready on $PG_SOCKET_DIR (waited $(elapsed "$t")s)"
}
