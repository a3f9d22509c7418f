#!/usr/bin/env bash
# Runs the sampling benchmarks (vector and scalar kernels) and writes JMH's JSON and text output
# under tempera-bench/results/. Usage, from the repository root:
#   ./mvnw -q -B install -DskipTests -pl tempera-sampling && ./mvnw -q -B package -DskipTests -pl tempera-bench
#   tempera-bench/run-benchmarks.sh [jmh-regex] [extra jmh args...]
# Then: python3 tempera-bench/summarize.py tempera-bench/results/<stamp>.json
set -euo pipefail
cd "$(dirname "$0")/.."
regex="${1:-dev.tempera.bench}"
shift || true
stamp="$(date +%Y%m%d-%H%M%S)"
mkdir -p tempera-bench/results
out="tempera-bench/results/$stamp"
{
  echo "# $(date -Is)"
  echo "# $(lscpu | grep 'Model name' | sed 's/  */ /g')"
  echo "# cpus: $(nproc)"
  java -version 2>&1 | sed 's/^/# /'
  echo "# load before: $(cat /proc/loadavg)"
} > "$out.txt"
java -jar tempera-bench/target/benchmarks.jar "$regex" -prof gc -rf json -rff "$out.json" "$@" 2>&1 | tee -a "$out.txt"
for k in vector scalar; do
  java --add-modules jdk.incubator.vector -Dtempera.kernels=$k \
      -cp tempera-bench/target/benchmarks.jar dev.tempera.bench.AllocationCheck 2>&1 | grep -v WARNING | tee -a "$out.txt"
done
echo "# load after: $(cat /proc/loadavg)" >> "$out.txt"
echo "results: $out.json $out.txt"
