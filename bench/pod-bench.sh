#!/usr/bin/env bash
# The pod against raw ONNX Runtime on the same model and thread budget, in one run:
#   bench/pod-bench.sh MODEL.onnx NAME [MAX_BATCH] [THREADS]
# Prints loadgen's compare table (raw ceiling, closed loops at concurrency 1 and 16/32) and an
# open loop at three times the measured saturation throughput with a deadline.
set -euo pipefail
cd "$(dirname "$0")/.."
model=$1; name=$2; max_batch=${3:-8}; threads=${4:-2}; port=${PORT:-18080}
dotnet build inference-pod -c Release -v q -nologo >/dev/null
dotnet build bench/Platform.LoadGen -c Release -v q -nologo >/dev/null
L=artifacts/bin/Platform.LoadGen/release/loadgen
dotnet artifacts/bin/Platform.InferencePod/release/Platform.InferencePod.dll \
  --Model:Path="$model" --Model:Name="$name" --Model:IntraOpThreads="$threads" --Model:AllowSpinning=${SPIN:-true} \
  --Batching:MaxBatchSize="$max_batch" --Queue:Capacity=64 --Logging:LogLevel:Default=Warning \
  --urls=http://127.0.0.1:$port >/tmp/pod-bench-$port.log 2>&1 &
pod=$!
trap 'kill -TERM $pod 2>/dev/null; wait $pod 2>/dev/null || true' EXIT
$L compare --onnx "$model" --model "$name" --url http://127.0.0.1:$port --threads "$threads" \
  --raw-batch 1,$max_batch --concurrency 1,32 --payload binary --duration ${DURATION:-15s} --warmup 3s --json /tmp/compare-$name.json
sat=$(python3 -c "import json;d=json.load(open('/tmp/compare-$name.json'));print(max(r['throughputPerSecond'] for r in d['http']))")
if [ -n "$sat" ]; then
  rate=$(python3 -c "print(int(3*$sat))")
  echo; echo "== open loop at 3x saturation ($rate req/s), 1 s deadline"
  $L http --url http://127.0.0.1:$port --model "$name" --mode open --rate "$rate" --timeout-ms 1000 --payload binary --duration ${DURATION:-15s} --warmup 3s
fi
