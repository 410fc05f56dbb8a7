#!/usr/bin/env python3
"""The GPU bench's two helpers (standard library only: the GPU machine has python3 but no network).

  gpu_result.py sample --url URL --out FILE [--interval S]
      Until killed, every S seconds appends one JSON line: the pod's NVML gauges from /metrics
      (platform_gpu_memory_free_bytes, _total_bytes, platform_gpu_utilization_ratio, per gpu)
      beside `nvidia-smi --query-gpu=index,memory.used,memory.total,utilization.gpu`, read at once.

  gpu_result.py write --work DIR --out RESULT.json [--provider cuda] [--max-batch 64]
      Gathers loadgen's JSON files and the samples under DIR into one result.
"""
import argparse
import glob
import json
import os
import re
import subprocess
import sys
import time
import urllib.request

METRIC = re.compile(r'^(platform_gpu_[a-z_]+)\{([^}]*)\}\s+([0-9.eE+-]+|NaN)$')
LABEL = re.compile(r'(\w+)="([^"]*)"')


def parse_metrics(text):
    """NVML gauges per gpu index: {"0": {"memory_free_bytes": ..., ...}}."""
    gpus = {}
    for line in text.splitlines():
        m = METRIC.match(line.strip())
        if not m:
            continue
        labels = dict(LABEL.findall(m.group(2)))
        gpu = labels.get("gpu", "?")
        gpus.setdefault(gpu, {})[m.group(1)[len("platform_gpu_"):]] = float(m.group(3))
    return gpus


def parse_nvidia_smi(text):
    """`nvidia-smi --query-gpu=index,memory.used,memory.total,utilization.gpu --format=csv,noheader,nounits`."""
    gpus = {}
    for line in text.strip().splitlines():
        parts = [p.strip() for p in line.split(",")]
        if len(parts) != 4:
            continue
        index, used, total, util = parts
        gpus[index] = {"memory_used_mib": float(used), "memory_total_mib": float(total), "utilization_percent": float(util)}
    return gpus


def sample(args):
    with open(args.out, "a", encoding="utf-8") as out:
        while True:
            row = {"time": time.time(), "nvml": None, "nvidia_smi": None}
            try:
                with urllib.request.urlopen(args.url, timeout=2) as response:
                    row["nvml"] = parse_metrics(response.read().decode("utf-8"))
            except OSError as e:
                row["nvml_error"] = str(e)
            try:
                smi = subprocess.run(["nvidia-smi", "--query-gpu=index,memory.used,memory.total,utilization.gpu",
                                      "--format=csv,noheader,nounits"], capture_output=True, text=True, timeout=5)
                row["nvidia_smi"] = parse_nvidia_smi(smi.stdout) if smi.returncode == 0 else None
            except (OSError, subprocess.TimeoutExpired) as e:
                row["nvidia_smi_error"] = str(e)
            out.write(json.dumps(row) + "\n")
            out.flush()
            time.sleep(args.interval)


def load(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def http_figures(report):
    if not report:
        return None
    r = report["result"]
    latency = r.get("latency") or {}
    return {
        "concurrency": r.get("concurrency"),
        "requests_per_second": r["throughputPerSecond"],
        "rows_per_second": r["rowsPerSecond"],
        "p50_ms": latency.get("p50Ms"), "p99_ms": latency.get("p99Ms"), "max_ms": latency.get("maxMs"),
        "mean_server_batch_size": r.get("meanServerBatchSize"),
        "outcomes": r.get("outcomes"),
    }


def gpu_comparison(samples):
    """Each sample's NVML memory used (total - free) and utilization beside nvidia-smi's, per gpu."""
    pairs = []
    for s in samples:
        for gpu, smi in (s.get("nvidia_smi") or {}).items():
            nvml = (s.get("nvml") or {}).get(gpu)
            if not nvml or "memory_free_bytes" not in nvml or "memory_total_bytes" not in nvml:
                continue
            pairs.append({
                "gpu": gpu,
                "nvml_memory_used_mib": (nvml["memory_total_bytes"] - nvml["memory_free_bytes"]) / 2**20,
                "nvidia_smi_memory_used_mib": smi["memory_used_mib"],
                "nvml_utilization_percent": nvml["utilization_ratio"] * 100 if "utilization_ratio" in nvml else None,
                "nvidia_smi_utilization_percent": smi["utilization_percent"],
            })
    if not pairs:
        return {"samples": len(samples), "pairs": 0, "note": "no sample had both NVML gauges from /metrics and nvidia-smi"}
    memory_diff = [abs(p["nvml_memory_used_mib"] - p["nvidia_smi_memory_used_mib"]) for p in pairs]
    util_diff = [abs(p["nvml_utilization_percent"] - p["nvidia_smi_utilization_percent"]) for p in pairs if p["nvml_utilization_percent"] is not None]
    return {
        "samples": len(samples), "pairs": len(pairs),
        "max_memory_difference_mib": max(memory_diff),
        "max_utilization_difference_points": max(util_diff) if util_diff else None,
        "last": pairs[-1],
    }


def read_samples(path):
    rows = []
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            rows = [json.loads(line) for line in f if line.strip()]
    return rows


def write(args):
    work = args.work
    models = sorted({os.path.basename(p)[:-len("-raw.json")] for p in glob.glob(os.path.join(work, "*-raw.json"))}
                    | {os.path.basename(p)[:-len("-c1.json")] for p in glob.glob(os.path.join(work, "*-c1.json"))})
    result = {"provider": args.provider, "max_batch_size": args.max_batch, "models": {}}
    for model in models:
        raw = load(os.path.join(work, f"{model}-raw.json"))
        curve = [{"batch": r["batch"], "rows_per_second": r["rowsPerSecond"], "runs_per_second": r["runsPerSecond"],
                  "p50_ms": r["runLatency"]["p50Ms"], "p99_ms": r["runLatency"]["p99Ms"]} for r in (raw or {}).get("results", [])]
        loops = [http_figures(load(p)) for p in sorted(glob.glob(os.path.join(work, f"{model}-sat-c*.json")))]
        loops = [l for l in loops if l]
        saturation = max(loops, key=lambda l: l["rows_per_second"]) if loops else None
        ceiling_at_max = next((c for c in curve if c["batch"] == args.max_batch), None)
        best = max(curve, key=lambda c: c["rows_per_second"]) if curve else None
        entry = {
            "raw_curve": curve,
            "latency_at_concurrency_1": http_figures(load(os.path.join(work, f"{model}-c1.json"))),
            "saturation": saturation,
            "saturation_runs": loops,
            "pod_over_raw_at_max_batch": saturation["rows_per_second"] / ceiling_at_max["rows_per_second"] if saturation and ceiling_at_max else None,
            "pod_over_best_raw": saturation["rows_per_second"] / best["rows_per_second"] if saturation and best else None,
            "gpu_metrics": gpu_comparison(read_samples(os.path.join(work, f"{model}-gpu-samples.jsonl"))),
        }
        result["models"][model] = entry
    oom = load(os.path.join(work, "oom.json"))
    if oom:
        oom["load"] = http_figures(load(os.path.join(work, "oom-http.json")))
        result["out_of_memory"] = oom
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(result, f, indent=2, sort_keys=False, allow_nan=False, default=str)
        f.write("\n")
    print(f"gpu_result: wrote {args.out} ({len(models)} model(s))")


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("sample")
    s.add_argument("--url", required=True)
    s.add_argument("--out", required=True)
    s.add_argument("--interval", type=float, default=1.0)
    w = sub.add_parser("write")
    w.add_argument("--work", required=True)
    w.add_argument("--out", required=True)
    w.add_argument("--provider", default="cuda")
    w.add_argument("--max-batch", type=int, default=64)
    args = parser.parse_args(argv)
    if args.command == "sample":
        sample(args)
    else:
        write(args)


if __name__ == "__main__":
    main(sys.argv[1:])
