#!/usr/bin/env bash
# Executes the notebooks headlessly with the java-spark kernel against the freshly built jar.
#
#   notebooks/run.sh                     build, then execute every notebooks/*.ipynb into
#                                        target/notebooks/executed/ (the committed files stay as they are)
#   notebooks/run.sh --update            the same, then write the executed notebooks (outputs, plots)
#                                        back into notebooks/: run this after changing a notebook
#   notebooks/run.sh 02-tuning.ipynb     only the notebooks named (files in notebooks/)
#
# Options: --no-build skips the build (`mvn -DskipTests -DskipITs verify`, which builds the jar and
# renders the kernel spec into target/notebooks/jupyter); --output-dir DIR writes the executed
# notebooks there. Exits non-zero at the first notebook with a failing cell and prints that cell and
# its error. Needs Jupyter's nbconvert (Debian: jupyter-nbconvert python3-nbconvert python3-nbclient
# jupyter-client).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
build=true
update=false
output_dir="$root/target/notebooks/executed"
names=()
while [ $# -gt 0 ]; do
  case "$1" in
    --update) update=true ;;
    --no-build) build=false ;;
    --output-dir) output_dir="$2"; shift ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    -*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
    *) names+=("$1") ;;
  esac
  shift
done

if ! command -v jupyter-nbconvert >/dev/null 2>&1; then
  echo "run.sh: jupyter nbconvert is missing; on Debian: apt-get install -y --no-install-recommends" \
    "jupyter-nbconvert python3-nbconvert python3-nbclient jupyter-client" >&2
  exit 2
fi
if $build; then
  (cd "$root" && mvn -B -q -DskipTests -DskipITs verify)
fi
kernels="$root/target/notebooks/jupyter"
if [ ! -f "$kernels/kernels/java-spark/kernel.json" ]; then
  echo "run.sh: no kernel spec in $kernels; build first (mvn -DskipTests -DskipITs verify)" >&2
  exit 2
fi
export JUPYTER_PATH="$kernels${JUPYTER_PATH:+:$JUPYTER_PATH}"

notebooks=()
if [ ${#names[@]} -eq 0 ]; then
  for nb in "$root"/notebooks/*.ipynb; do
    [ -e "$nb" ] && notebooks+=("$nb")
  done
else
  for name in "${names[@]}"; do
    case "$name" in
      /*) notebooks+=("$name") ;;
      *) notebooks+=("$root/notebooks/$(basename "$name")") ;;
    esac
  done
fi
if $update; then
  output_dir="$root/notebooks"
fi
mkdir -p "$output_dir"

# The kernel (rapaio-jupyter-kernel 3.0.1) now and then never answers at start-up: one of its channel
# threads can start and stop before it is marked running. That fails at once with "Kernel didn't
# respond", before any cell has run, and is retried; a failing cell is never retried.
attempts="${NOTEBOOK_KERNEL_ATTEMPTS:-2}"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
for nb in "${notebooks[@]}"; do
  name="$(basename "$nb")"
  attempt=1
  while true; do
    start=$(date +%s)
    if jupyter nbconvert --to notebook --execute "$nb" --output-dir "$output_dir" --output "$name" \
        --ExecutePreprocessor.timeout=900 --ExecutePreprocessor.startup_timeout=90 \
        --ExecutePreprocessor.record_timing=False >"$log" 2>&1; then
      echo "ok     $name ($(( $(date +%s) - start )) s) -> $output_dir/$name"
      break
    fi
    if [ "$attempt" -lt "$attempts" ] && grep -q -e "Kernel didn't respond" -e "Kernel died before replying" "$log"; then
      echo "retry  $name: the kernel did not answer at start-up (attempt $attempt of $attempts)"
      attempt=$((attempt + 1))
      continue
    fi
    echo "FAILED $name ($(( $(date +%s) - start )) s)"
    # nbconvert prints the failing cell and its error after this line; without it (the kernel did not
    # start), the end of the log says why.
    # (The kernel colours its messages; the escape codes are dropped.)
    if grep -q "An error occurred while executing the following cell" "$log"; then
      sed -n '/An error occurred while executing the following cell/,$p' "$log"
    else
      tail -n 40 "$log"
    fi | sed 's/\x1b\[[0-9;]*m//g'
    exit 1
  done
done
