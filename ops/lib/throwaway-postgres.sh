# Sourced by ops scripts: a throwaway PostgreSQL 15 (org.troupedb.testkit.LocalPostgresMain) for the
# life of the script.
#
#   start_throwaway_postgres NAME [--durable]   sets PG_URL (a JDBC URL) and PG_PID; stops it on EXIT
#   stop_throwaway_postgres                     stops it now (idempotent)
#
# Needs testkit/target/classes (build with mvn -DskipTests package -pl testkit) and the PostgreSQL
# 15 server binaries.

stop_throwaway_postgres() {
  if [[ -n ${PG_PID:-} ]]; then
    kill -TERM "$PG_PID" 2>/dev/null || true
    timeout 60 tail --pid="$PG_PID" -f /dev/null || true
    PG_PID=""
  fi
}

start_throwaway_postgres() {
  local name=$1 line
  shift
  # Process substitution: $! is the launcher's pid, and we read its READY line with a timeout.
  exec {PG_FD}< <(exec java -cp "$ROOT/testkit/target/classes" org.troupedb.testkit.LocalPostgresMain "$@")
  PG_PID=$!
  trap stop_throwaway_postgres EXIT
  if ! read -r -t 180 -u "$PG_FD" line || [[ $line != READY\ * ]]; then
    echo "$name: PostgreSQL did not start (got: ${line:-nothing})" >&2
    exit 1
  fi
  PG_URL=${line#READY }
  echo "== PostgreSQL at $PG_URL" >&2
}
