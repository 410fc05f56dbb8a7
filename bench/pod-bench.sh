#!/usr/bin/env bash
# The pod against a bare ONNX Runtime process on the same model and cores, in interleaved rounds:
#   bench/pod-bench.sh MODEL.onnx NAME [MAX_BATCH] [ROUNDS]
# Each round starts a fresh pod with its default settings (thread layout, warm-up) and measures,
# one after the other: the naive loop (one session, one intra-op thread per allowed CPU) at batch
# 1 and MAX_BATCH, with its resident memory; the pod's first request after ready; closed loops at
# concurrency 1 and 32 with binary, then JSON tensors, the pod's resident memory after each; open
# loops at 3x and 10x the round's binary saturation with a 1 s deadline (goodput counted from the
# intended send time), plain and with "Expect: 100-continue". The last lines are one table of min / median / max over the rounds.
# Environment: DURATION (each run's window, default 10s), PORT (18080), OUT (result folder),
# POD_ARGS (extra pod settings, e.g. "--Model:Instances=1 --Model:IntraOpThreads=2"), MAX_OPEN_RATE
# (open loops above this many requests/s are skipped: the generator could not keep to them; 5000).
set -euo pipefail
cd "$(dirname "$0")/.."
model=$1; name=$2; max_batch=${3:-8}; rounds=${4:-3}
max_open_rate=${MAX_OPEN_RATE:-5000}
port=${PORT:-18080}; grpc_port=$((port + 1)); duration=${DURATION:-10s}
out=${OUT:-/tmp/pod-bench-$name}; mkdir -p "$out"; rm -f "$out"/*.json
dotnet build inference-pod -c Release -v q -nologo >/dev/null
dotnet build bench/Platform.LoadGen -c Release -v q -nologo >/dev/null
A=${PLATFORM_ARTIFACTS:-artifacts}/bin
L=$A/Platform.LoadGen/release/loadgen
url=http://127.0.0.1:$port
pod=""
stop_pod() { [ -n "$pod" ] && { kill -TERM "$pod" 2>/dev/null; wait "$pod" 2>/dev/null || true; }; pod=""; }
trap stop_pod EXIT

for round in $(seq 1 "$rounds"); do
  echo "== round $round of $rounds ($name)" >&2
  $L raw --model "$model" --threads "$(nproc)" --batch "1,$max_batch" --duration "$duration" --warmup 2s --json "$out/raw-$round.json" >/dev/null

  # MALLOC_ARENA_MAX as the pod image sets it.
  MALLOC_ARENA_MAX=2 dotnet "$A/Platform.InferencePod/release/Platform.InferencePod.dll" \
    --Model:Path="$model" --Model:Name="$name" --Batching:MaxBatchSize="$max_batch" --Queue:Capacity=64 \
    --Server:GrpcPort="$grpc_port" --urls="$url" ${POD_ARGS:-} >"$out/pod-$round.log" 2>&1 &
  pod=$!
  until curl -sf "$url/v2/health/ready" >/dev/null; do
    kill -0 "$pod" 2>/dev/null || { tail -20 "$out/pod-$round.log" >&2; exit 1; }
    sleep 0.05
  done
  # The first request after ready, on a new connection, with a binary tensor body.
  python3 - "$url" "$name" "$out/first-body.bin" "$out/first-header.txt" <<'PY'
import json, sys, urllib.request
url, name, body_path, header_path = sys.argv[1:5]
meta = json.load(urllib.request.urlopen(f"{url}/v2/models/{name}"))
sizes = {"FP32": 4, "FP64": 8, "INT64": 8, "INT32": 4, "FP16": 2, "UINT8": 1, "INT8": 1, "BOOL": 1}
inputs, data = [], b""
for spec in meta["inputs"]:
    shape = [1 if d < 0 else d for d in spec["shape"]]
    n = sizes[spec["datatype"]]
    for d in shape: n *= d
    inputs.append({"name": spec["name"], "datatype": spec["datatype"], "shape": shape, "parameters": {"binary_data_size": n}})
    data += bytes(n)
header = json.dumps({"inputs": inputs}).encode()
open(body_path, "wb").write(header + data)
open(header_path, "w").write(str(len(header)))
PY
  # Then eleven more sent the same way (each a new curl process and connection): the first request's
  # cost beyond the client's own, apart from the steady p50 of the keep-alive load generator.
  post() {
    curl -s -o /dev/null -w '%{time_total}' -X POST "$url/v2/models/$name/infer" \
      -H 'Content-Type: application/octet-stream' -H "Inference-Header-Content-Length: $(cat "$out/first-header.txt")" \
      --data-binary @"$out/first-body.bin"
  }
  first=$(post)
  later=$(for i in $(seq 11); do post; echo; done | sort -n | sed -n 6p)
  echo "{\"firstRequestSeconds\": $first, \"laterMedianSeconds\": $later}" > "$out/first-$round.json"

  for payload in binary json; do
    for c in 1 32; do
      $L http --url "$url" --model "$name" --concurrency $c --payload $payload --duration "$duration" --warmup 2s --json "$out/closed-$payload-c$c-$round.json" >/dev/null
    done
    awk '/VmRSS/{print "{\"residentBytes\": " $2 * 1024 "}"}' "/proc/$pod/status" > "$out/rss-$payload-$round.json"
  done
  sat=$(python3 -c "import json;print(json.load(open('$out/closed-binary-c32-$round.json'))['result']['throughputPerSecond'])")
  for times in 3 10; do
    rate=$(python3 -c "print(max(1, int($times * $sat)))")
    # Past what one generator process sends on time, the goodput would measure the generator.
    if [ "$rate" -gt "$max_open_rate" ]; then
      echo "open loop at ${times}x ($rate requests/s) skipped: above MAX_OPEN_RATE=$max_open_rate" >&2
      continue
    fi
    # Plain, and with "Expect: 100-continue", which spares the upload of a body refused from its headers.
    for expect in "" --expect-continue; do
      $L http --url "$url" --model "$name" --mode open --rate "$rate" --timeout-ms 1000 --slo-ms 1000 --payload binary $expect \
        --duration "$duration" --warmup 2s --json "$out/open-x$times${expect:+-expect}-$round.json" >/dev/null
    done
  done
  grep -m1 -o "[0-9]* instance(s) x [0-9]* intra-op thread(s)" "$out/pod-$round.log" > "$out/layout-$round.txt" || true
  stop_pod
done

python3 - "$out" "$name" "$rounds" <<'PY'
import json, statistics, sys
out, name, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
def load(kind, r): return json.load(open(f"{out}/{kind}-{r}.json"))
rows = {}
def add(metric, value): rows.setdefault(metric, []).append(value)
for r in range(1, rounds + 1):
    raw = load("raw", r)
    naive = max(x["rowsPerSecond"] for x in raw["results"])
    raw_p50 = next(x for x in raw["results"] if x["batch"] == 1)["runLatency"]["p50Ms"]
    res = lambda kind: load(kind, r)["result"]
    b1, b32, j1, j32 = res("closed-binary-c1"), res("closed-binary-c32"), res("closed-json-c1"), res("closed-json-c32")
    add("naive loop, rows/s", naive)
    add("pod saturation, rows/s (binary, c=32)", b32["rowsPerSecond"])
    add("pod / naive loop (goal >= 0.95; auto layout >= 1.1)", b32["rowsPerSecond"] / naive)
    add("added p50 at c=1 over a raw Run, ms (goal <= 0.5)", b1["latency"]["p50Ms"] - raw_p50)
    first = load("first", r)
    add("first request after ready / steady p50 (goal <= 1.5)", first["firstRequestSeconds"] * 1000 / b1["latency"]["p50Ms"])
    add("first request / median of the next 11 sent the same way (curl, new connection)", first["firstRequestSeconds"] / first["laterMedianSeconds"])
    add("JSON / binary throughput at c=32 (goal >= 0.8)", j32["rowsPerSecond"] / b32["rowsPerSecond"])
    add("JSON added p50 at c=1 over binary, ms (goal <= 3)", j1["latency"]["p50Ms"] - b1["latency"]["p50Ms"])
    # The bare process's resident memory with its session loaded, after its largest batch ran.
    bare = max(x["residentBytes"] for x in raw["results"])
    add("RSS pod after binary load / bare ONNX Runtime (goal <= 1.3)", load("rss-binary", r)["residentBytes"] / bare)
    add("RSS pod after JSON load / bare ONNX Runtime", load("rss-json", r)["residentBytes"] / bare)
    for times in (3, 10):
        for suffix, label in (("", ""), ("-expect", ", Expect: 100-continue")):
            try:
                o = res(f"open-x{times}{suffix}")
            except FileNotFoundError:
                continue  # skipped: above MAX_OPEN_RATE
            add(f"goodput at {times}x overload / saturation{label} (goal >= 0.95)", o["goodputPerSecond"] / b32["throughputPerSecond"])
            rej = o.get("rejectionLatency")
            if rej: add(f"429 p99 at {times}x{label}, ms (goal < 2)", rej["p99Ms"])
layouts = sorted({open(f"{out}/layout-{r}.txt").read().strip() for r in range(1, rounds + 1)})
print(f"\n{name}: {rounds} interleaved rounds, pod layout {', '.join(layouts) or 'unknown'}; min / median / max")
print("| metric | min | median | max |\n|---|---:|---:|---:|")
for metric, values in rows.items():
    print(f"| {metric} | {min(values):.3g} | {statistics.median(values):.3g} | {max(values):.3g} |")
PY
