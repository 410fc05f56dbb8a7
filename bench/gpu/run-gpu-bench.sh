#!/usr/bin/env bash
# Runs the real GPU pod on an NVIDIA machine with the driver and CUDA 13 user-space libraries
# (e.g. a PyTorch cu130 installation's nvidia/* packages) but no .NET and no network:
#   run-gpu-bench.sh [PAYLOAD_DIR] [RESULT.json]
# PAYLOAD_DIR (default: this script's folder) holds what bench/gpu/build-payload.sh made:
# payload.tar.xz.part-NN and SHA256SUMS. The parts are checked, joined, checked again and
# unpacked; then for every model in the payload (resnet18 and mobilenet_v2 for the issue's figures):
#   1. the raw ONNX Runtime CUDA batch curve (loadgen raw --provider cuda, batch 1..64);
#   2. the pod on the CUDA provider: latency at concurrency 1, throughput at saturation (closed
#      loops at SAT_CONCURRENCY), sampling the pod's NVML gauges (/metrics) beside nvidia-smi;
# and once (OOM_MODEL): the pod with a Gpu:MemoryLimitBytes small enough that a batch of 64 fails,
# loaded with 64 concurrent one-row requests: the batch is split, every request answered, the pod
# stays ready. Everything lands in one JSON file (gpu_result.py write).
# Environment: PROVIDER (cuda; cpu rehearses the whole run without a GPU), MAX_BATCH (64),
# RAW_BATCHES (1,2,4,8,16,32,64), RAW_DURATION (5s), DURATION (15s), SAT_CONCURRENCY
# ("64 128 256"), OOM_MODEL (resnet18, else the first model), OOM_LIMIT_BYTES (134217728),
# WORK (PAYLOAD_DIR/work), PORT (18480).
set -euo pipefail
dir=$(cd "${1:-$(dirname "$0")}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
result=$(realpath -m "${2:-$dir/gpu-result.json}")
provider=${PROVIDER:-cuda}
max_batch=${MAX_BATCH:-64}
raw_batches=${RAW_BATCHES:-1,2,4,8,16,32,64}
raw_duration=${RAW_DURATION:-5s}
duration=${DURATION:-15s}
sat_concurrency=${SAT_CONCURRENCY:-64 128 256}
oom_limit=${OOM_LIMIT_BYTES:-134217728}
port=${PORT:-18480}
work=$(realpath -m "${WORK:-$dir/work}")
say() { echo "run-gpu-bench: $*" >&2; }

# 1. Parts: each checked, joined in order, the whole checked, unpacked.
cd "$dir"
[ -f SHA256SUMS ] || { say "no SHA256SUMS in $dir (build the payload with bench/gpu/build-payload.sh)"; exit 2; }
grep 'payload.tar.xz.part-' SHA256SUMS | sha256sum -c --quiet || { say "a payload part is missing or damaged"; exit 2; }
rm -rf "$work"; mkdir -p "$work"
cat $(grep -o 'payload.tar.xz.part-[0-9]*' SHA256SUMS | sort) > "$work/payload.tar.xz"
(cd "$work" && grep ' payload.tar.xz$' "$dir/SHA256SUMS" | sha256sum -c --quiet) || { say "the joined payload does not match its sha256"; exit 2; }
tar -C "$work" -xJf "$work/payload.tar.xz"
rm "$work/payload.tar.xz"
pod_bin="$work/payload/pod/Platform.InferencePod"
L="$work/payload/loadgen/loadgen"
say "payload unpacked in $work/payload"

# 2. CUDA 13 user-space libraries from the Python nvidia packages (cublas, cuda_runtime, cudnn, curand, ...).
if [ "$provider" = cuda ]; then
  nvidia_root=$(python3 -c 'import nvidia, os; print(os.path.dirname(nvidia.__file__) if getattr(nvidia, "__file__", None) else list(nvidia.__path__)[0])') \
    || { say "python3 cannot import the nvidia packages (CUDA 13 user-space libraries)"; exit 2; }
  libs=""
  for lib in "$nvidia_root"/*/lib; do [ -d "$lib" ] && libs="$libs${libs:+:}$lib"; done
  export LD_LIBRARY_PATH="$libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  say "LD_LIBRARY_PATH=$LD_LIBRARY_PATH"
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader >&2 || say "nvidia-smi is not available"
fi

pod=""
sampler=""
stop_pod() {
  [ -n "$sampler" ] && { kill "$sampler" 2>/dev/null || true; wait "$sampler" 2>/dev/null || true; sampler=""; }
  [ -n "$pod" ] && { kill -TERM "$pod" 2>/dev/null || true; wait "$pod" 2>/dev/null || true; pod=""; }
}
trap stop_pod EXIT
start_pod() { # model name log extra-args...
  local model=$1 name=$2 log=$3; shift 3
  "$pod_bin" --Model:Path="$model" --Model:Name="$name" --Model:ExecutionProvider="$provider" \
    --Batching:MaxBatchSize="$max_batch" --Queue:Capacity=4096 --Logging:LogLevel:Default=Warning \
    --urls=http://127.0.0.1:$port --Server:GrpcPort=0 "$@" > "$log" 2>&1 &
  pod=$!
}
http() { # name json extra-args...
  local name=$1 json=$2; shift 2
  "$L" http --url http://127.0.0.1:$port --model "$name" --mode closed --payload binary \
    --warmup 3s --ready-timeout 900s --json "$json" "$@"
}

models=("$work"/payload/models/*.onnx)
[ -e "${models[0]}" ] || { say "the payload has no models"; exit 2; }
for model in "${models[@]}"; do
  name=$(basename "$model" .onnx)
  say "$name: raw ONNX Runtime ($provider), batches $raw_batches"
  "$L" raw --model "$model" --provider "$provider" --batch "$raw_batches" --duration "$raw_duration" --warmup 2s \
    --json "$work/$name-raw.json" || say "$name: the raw curve failed (see above)"

  say "$name: the pod ($provider), latency at concurrency 1, then saturation at $sat_concurrency"
  start_pod "$model" "$name" "$work/$name-pod.log" --Batching:MaxQueueDelayMs=2
  http "$name" "$work/$name-c1.json" --concurrency 1 --duration "$duration" || { say "$name: the pod did not serve:"; tail -5 "$work/$name-pod.log" >&2; stop_pod; continue; }
  python3 "$here/gpu_result.py" sample --url http://127.0.0.1:$port/metrics --out "$work/$name-gpu-samples.jsonl" --interval 1 &
  sampler=$!
  for c in $sat_concurrency; do
    http "$name" "$work/$name-sat-c$c.json" --concurrency "$c" --duration "$duration" || say "$name: concurrency $c failed"
  done
  stop_pod
done

# 3. Out of memory: a batch of MAX_BATCH one-row requests over Gpu:MemoryLimitBytes, split and answered.
oom_model="$work/payload/models/${OOM_MODEL:-resnet18}.onnx"
[ -f "$oom_model" ] || oom_model=${models[0]}
oom_name=$(basename "$oom_model" .onnx)
say "$oom_name: out-of-memory split with Gpu:MemoryLimitBytes=$oom_limit"
start_pod "$oom_model" "$oom_name" "$work/oom-pod.log" --Gpu:MemoryLimitBytes="$oom_limit" --Gpu:ArenaExtendStrategy=SameAsRequested \
  --Warmup:BatchSizes=1 --Batching:MaxQueueDelayMs=50
http "$oom_name" "$work/oom-http.json" --concurrency "$max_batch" --duration 10s || say "the out-of-memory load failed"
ready=$(python3 -c "import urllib.request,sys
try: print(urllib.request.urlopen('http://127.0.0.1:$port/v2/health/ready', timeout=5).status)
except Exception as e: print(0)")
alive=false; kill -0 "$pod" 2>/dev/null && alive=true
stop_pod
splits=$(grep -c 'ran out of memory; retrying it in halves' "$work/oom-pod.log" || true)
alone=$(grep -c 'ran out of memory on its own' "$work/oom-pod.log" || true)
cat > "$work/oom.json" <<JSON
{"model": "$oom_name", "memory_limit_bytes": $oom_limit, "split_batches": $splits, "requests_too_large_alone": $alone, "pod_alive_after": $alive, "ready_status_after": $ready}
JSON

python3 "$here/gpu_result.py" write --work "$work" --out "$result" --provider "$provider" --max-batch "$max_batch"
