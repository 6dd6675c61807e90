#!/usr/bin/env bash
# Runs io.sparkbackprop.bench.scaling.ScalingCostModel on 1, 2 and 4 executors of one core, first on
# scripts/standalone-cluster.sh's standalone cluster (one worker per executor), then on Spark's
# local-cluster[N,1,1024], and fits the cost model over all measurements (CostModelFit).
#
#   src/bench/scaling-cost-model.sh [extra ScalingCostModel options...]
#
# Settings (environment): EXECUTORS ("1 2 4"), CLUSTERS ("standalone local-cluster"),
# OUT_DIR (target/scaling), RESULTS (src/bench/results/scaling-cost-model.md, "" = do not write),
# MASTER_PORT (7177), MASTER_WEBUI_PORT (8180), WORKER_WEBUI_PORT (8181),
# CLUSTER_DIR (target/scaling-cluster), SPARK_DRIVER_MEMORY (3g), NICE (10).
# Everything heavy runs under `nice -n $NICE`; the standalone cluster is stopped on exit.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
EXECUTORS="${EXECUTORS:-1 2 4}"
CLUSTERS="${CLUSTERS:-standalone local-cluster}"
OUT_DIR="${OUT_DIR:-target/scaling}"
RESULTS="${RESULTS-src/bench/results/scaling-cost-model.md}"
NICE="${NICE:-10}"
export MASTER_PORT="${MASTER_PORT:-7177}" MASTER_WEBUI_PORT="${MASTER_WEBUI_PORT:-8180}"
export WORKER_WEBUI_PORT="${WORKER_WEBUI_PORT:-8181}" CLUSTER_DIR="${CLUSTER_DIR:-$ROOT/target/scaling-cluster}"
export WORKER_CORES=1 WORKER_MEMORY=1g SPARK_DRIVER_MEMORY="${SPARK_DRIVER_MEMORY:-3g}"
JAR="$ROOT/target/scaling-bench.jar"
SPARK_HOME_DIR="$ROOT/target/spark-home"

nice -n "$NICE" mvn -o -q -Pbench compile
rm -f "$JAR"
jar cf "$JAR" -C target/classes .
scripts/standalone-cluster.sh spark-home >/dev/null
mkdir -p "$OUT_DIR"

stop_cluster() { scripts/standalone-cluster.sh stop >/dev/null 2>&1 || true; }
trap stop_cluster EXIT

submit() {
  local master="$1" cluster="$2" executors="$3"; shift 3
  echo "== $cluster, $executors executor(s): $master (load: $(cut -d' ' -f1-3 /proc/loadavg))"
  nice -n "$NICE" "$SPARK_HOME_DIR/bin/spark-submit" --master "$master" --deploy-mode client \
    --class io.sparkbackprop.bench.scaling.ScalingCostModel \
    --conf spark.ui.enabled=false --conf spark.driver.host=127.0.0.1 \
    --conf spark.executor.cores=1 --conf spark.cores.max="$executors" \
    --conf spark.executor.memory=900m \
    --conf spark.executor.extraJavaOptions=--add-modules=jdk.incubator.vector \
    --conf spark.executorEnv.OPENBLAS_NUM_THREADS=1 \
    "$JAR" --cluster "$cluster" --executors "$executors" \
    --out "$OUT_DIR/$cluster-$executors.tsv" "$@" 2> "$OUT_DIR/$cluster-$executors.log"
}

for cluster in $CLUSTERS; do
  for n in $EXECUTORS; do
    rm -f "$OUT_DIR/$cluster-$n.tsv"
    if [[ "$cluster" == standalone ]]; then
      WORKERS="$n" nice -n "$NICE" scripts/standalone-cluster.sh start >/dev/null
      submit "spark://127.0.0.1:$MASTER_PORT" "$cluster" "$n" "$@"
      stop_cluster
    else
      submit "local-cluster[$n,1,1024]" "$cluster" "$n" "$@"
    fi
  done
done

FIT_ARGS=()
[[ -n "$RESULTS" ]] && FIT_ARGS+=(--markdown "$RESULTS")
java -cp "target/classes:$SPARK_HOME_DIR/jars/*" io.sparkbackprop.bench.scaling.CostModelFit \
  "${FIT_ARGS[@]}" "$OUT_DIR"/*.tsv
