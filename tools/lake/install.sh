#!/usr/bin/env bash
# Installs what the audit lake needs into the per-user cache
# "${XDG_CACHE_HOME:-$HOME/.cache}/pkg-registry/":
#   lake-venv-<hash>/ Python venv (one per set of pins): pinned pyspark, pyiceberg, pytest, ruff, confluent-kafka, plotly, and
#                     duckdb with its iceberg/httpfs/avro extensions as PyPI wheels (no download at run time)
#   lake-jars/<v>/    Spark connector jars via mvn, passed to Spark with spark.jars (Spark's own Ivy does
#                     not read Maven's settings): Kafka source, Iceberg runtime + AWS bundle (S3FileIO),
#                     hadoop-aws + s3-transfer-manager (S3A, for the Hadoop catalog and the checkpoint in
#                     the object store; the AWS SDK itself comes from the Iceberg bundle), sqlite-jdbc (JDBC catalog).
# Idempotent (a stamp of the pins marks a finished install) and serialised with a lock.
# pip and mvn use the machine's configured registries; no host name is written here.
set -euo pipefail

CACHE_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/pkg-registry"
PYTHON="${PYTHON:-python3}"

SPARK_VERSION=4.0.1
SCALA_BINARY=2.13
# The registry serves spark-token-provider-kafka 4.0.0 but not 4.0.1; a patch release apart, same API.
TOKEN_PROVIDER_VERSION=4.0.0
ICEBERG_VERSION=1.10.1
JARS_DIR="${LAKE_JARS_DIR:-$CACHE_DIR/lake-jars/spark-$SPARK_VERSION-iceberg-$ICEBERG_VERSION}"
SQLITE_JDBC_VERSION=3.51.1.0 # for the JDBC catalog on a SQLite file
DUCKDB_VERSION=1.5.5
DEP_PLUGIN=org.apache.maven.plugins:maven-dependency-plugin:3.8.1
JAR_COUNT=9

PY_PINS=(
  "pyspark==$SPARK_VERSION"
  "pyiceberg[sql-sqlite,pyarrow]==0.12.0"
  "pytest==9.2.0"
  "ruff==0.17.5"
  "confluent-kafka==2.16.1"
  "plotly==7.1.0"
  # The report's exposure: OSV version order (semver for npm, PEP 440 for PyPI), as libs/policy/firewall.
  "semver==3.0.4"
  "packaging==26.4"
  # The DuckDB recipe (infra/lake/duckdb): extension wheels of exactly the engine's version.
  "duckdb==$DUCKDB_VERSION"
  "duckdb-extension-iceberg==$DUCKDB_VERSION"
  "duckdb-extension-httpfs==$DUCKDB_VERSION"
  "duckdb-extension-avro==$DUCKDB_VERSION"
)

# One venv per set of pins: branches with different pins never replace each other's venv under a running test.
PINS_HASH="$(printf '%s\n' "${PY_PINS[@]}" | sha256sum | cut -c1-12)"
VENV_DIR="${LAKE_VENV_DIR:-$CACHE_DIR/lake-venv-$PINS_HASH}"

log() { printf '[lake-install] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
now_s() { date +%s; }

install_venv() {
  local stamp="$VENV_DIR/.pins" want
  want="$(printf '%s\n' "${PY_PINS[@]}")"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
    log "venv: cached in $VENV_DIR"
    return 0
  fi
  local t0
  t0=$(now_s)
  rm -rf "$VENV_DIR"
  "$PYTHON" -m venv "$VENV_DIR"
  "$VENV_DIR/bin/python" -m pip install --quiet --upgrade pip
  log "venv: installing ${PY_PINS[*]}"
  "$VENV_DIR/bin/python" -m pip install --quiet "${PY_PINS[@]}"
  printf '%s\n' "$want" >"$stamp"
  log "venv: ready in $(($(now_s) - t0)) s"
}

# Prints the value of a <property> in the spark-parent pom, i.e. the version Spark's own modules declare.
spark_parent_property() {
  local name="$1" pom="$2"
  sed -n "s:.*<$name>\([^<]*\)</$name>.*:\1:p" "$pom" | head -n 1
}

mvn_copy() {
  local artifact="$1" out="$2"
  mvn -B -q -Dstyle.color=never "$DEP_PLUGIN:copy" -Dartifact="$artifact" -DoutputDirectory="$out" \
    >>"$out/../mvn.log" 2>&1 || { tail -n 30 "$out/../mvn.log" >&2; die "mvn copy $artifact failed"; }
}

install_jars() {
  if [[ -f "$JARS_DIR/.complete" ]]; then
    log "jars: cached in $JARS_DIR"
    return 0
  fi
  require_prereqs mvn
  local work="$JARS_DIR.build.$$" t0
  t0=$(now_s)
  rm -rf "$work" && mkdir -p "$work/lib" "$work/pom"
  # kafka-clients and commons-pool2 must be the versions spark-sql-kafka was built against:
  # read them from the spark-parent pom instead of guessing.
  mvn_copy "org.apache.spark:spark-parent_$SCALA_BINARY:$SPARK_VERSION:pom" "$work/pom"
  local parent="$work/pom/spark-parent_$SCALA_BINARY-$SPARK_VERSION.pom" kafka_v pool_v hadoop_v sdk_v
  kafka_v="$(spark_parent_property kafka.version "$parent")"
  pool_v="$(spark_parent_property commons-pool2.version "$parent")"
  hadoop_v="$(spark_parent_property hadoop.version "$parent")"
  [[ -n "$kafka_v" && -n "$pool_v" && -n "$hadoop_v" ]] || die "could not read dependency versions from $parent"
  log "jars: kafka-clients $kafka_v, commons-pool2 $pool_v, hadoop $hadoop_v (declared by spark $SPARK_VERSION)"
  mvn_copy "org.apache.iceberg:iceberg-aws-bundle:$ICEBERG_VERSION" "$work/lib"
  # S3A needs the SDK's transfer manager, which the Iceberg bundle leaves out: take the bundle's SDK version.
  sdk_v="$("$PYTHON" -c 'import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]).decode())' \
    "$work/lib/iceberg-aws-bundle-$ICEBERG_VERSION.jar" META-INF/maven/software.amazon.awssdk/s3/pom.properties |
    sed -n 's/^version=//p' | tr -d '\r')"
  [[ -n "$sdk_v" ]] || die "could not read the AWS SDK version from iceberg-aws-bundle"
  local a
  for a in \
    "org.apache.hadoop:hadoop-aws:$hadoop_v" \
    "software.amazon.awssdk:s3-transfer-manager:$sdk_v" \
    "org.xerial:sqlite-jdbc:$SQLITE_JDBC_VERSION" \
    "org.apache.spark:spark-sql-kafka-0-10_$SCALA_BINARY:$SPARK_VERSION" \
    "org.apache.spark:spark-token-provider-kafka-0-10_$SCALA_BINARY:$TOKEN_PROVIDER_VERSION" \
    "org.apache.kafka:kafka-clients:$kafka_v" \
    "org.apache.commons:commons-pool2:$pool_v" \
    "org.apache.iceberg:iceberg-spark-runtime-4.0_$SCALA_BINARY:$ICEBERG_VERSION"; do
    mvn_copy "$a" "$work/lib"
  done
  [[ "$(find "$work/lib" -name '*.jar' | wc -l)" -eq "$JAR_COUNT" ]] || die "expected $JAR_COUNT jars in $work/lib"
  date -u +%FT%TZ >"$work/lib/.complete"
  rm -rf "$JARS_DIR"
  mv "$work/lib" "$JARS_DIR"
  rm -rf "$work"
  log "jars: $JAR_COUNT jars in $JARS_DIR ($(($(now_s) - t0)) s)"
}

main() {
  mkdir -p "$CACHE_DIR"
  exec 9>"$CACHE_DIR/.lake-install.lock"
  flock 9
  # shellcheck source=../scripts/prereqs.sh
  source "$(dirname "${BASH_SOURCE[0]}")/../scripts/prereqs.sh"
  require_prereqs java python3
  install_venv
  install_jars
  # Callers read these lines (tools/lake/env.sh, for run-job.sh, report.sh and test-python.sh).
  printf 'LAKE_VENV_DIR=%s\nLAKE_JARS_DIR=%s\n' "$VENV_DIR" "$JARS_DIR"
}

main "$@"
