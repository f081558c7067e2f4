# Sourced by ops scripts that run the bench module: builds bench (and testkit, for the throwaway
# PostgreSQL) when bench/target/troupedb-bench.jar is missing or older than the sources.
#
#   ensure_bench_jar NAME     sets BENCH_JAR

ensure_bench_jar() {
  local name=$1
  BENCH_JAR=$ROOT/bench/target/troupedb-bench.jar
  if [[ ! -f $BENCH_JAR || ! -d $ROOT/testkit/target/classes \
        || -n $(find "$ROOT/bench/src/main" "$ROOT/testkit/src/main" -newer "$BENCH_JAR" -print -quit) ]]; then
    echo "$name: building bench (mvn -DskipTests package -pl testkit,bench -am)…" >&2
    (cd "$ROOT" && mvn -B -q -DskipTests package -pl testkit,bench -am)
  fi
}
