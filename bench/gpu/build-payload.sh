#!/usr/bin/env bash
# Builds the payload bench/gpu/run-gpu-bench.sh runs on an NVIDIA machine that has the driver and
# CUDA 13 user-space libraries but no .NET and no network:
#   bench/gpu/build-payload.sh OUT_DIR MODEL.onnx [MODEL.onnx ...]
# e.g. bench/gpu/build-payload.sh /tmp/gpu-payload /path/to/resnet18.onnx samples/models/mobilenet_v2.onnx
# OUT_DIR receives payload.tar.xz.part-NN (each under PART_SIZE, default 59M: one copy to the GPU
# machine carries at most 64 MiB), SHA256SUMS (every part and the joined archive) and a copy of
# run-gpu-bench.sh. The archive holds self-contained linux-x64 publishes of the GPU pod (pod/) and
# of loadgen built on ONNX Runtime's CUDA package (loadgen/, its ONNX Runtime libraries linked to
# the pod's copies, so the 289 MB CUDA provider travels once) and the models (models/NAME.onnx).
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
[ $# -ge 2 ] || { echo "usage: $0 OUT_DIR MODEL.onnx [MODEL.onnx ...]" >&2; exit 2; }
out=$(realpath -m "$1"); shift
for model in "$@"; do
  [ -f "$model" ] || { echo "build-payload: model '$model' is not a file" >&2; exit 2; }
done
part_size=${PART_SIZE:-59M}
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$out" "$stage/payload/models"

# Separate artifacts: the CPU build the tests use is left alone.
export PLATFORM_ARTIFACTS="$repo/artifacts/gpu-payload"
publish() { # project output
  dotnet publish "$repo/$1" -nologo -v q -c Release -r linux-x64 --self-contained true \
    -p:OnnxRuntimeFlavor=Gpu -p:PublishReadyToRun=true -o "$2"
}
echo "build-payload: publishing the GPU pod and loadgen (self-contained, linux-x64) ..."
publish inference-pod/Platform.InferencePod.csproj "$stage/payload/pod"
publish bench/Platform.LoadGen/Platform.LoadGen.csproj "$stage/payload/loadgen"
for library in "$stage"/payload/loadgen/libonnxruntime*.so; do
  name=$(basename "$library")
  cmp -s "$library" "$stage/payload/pod/$name" || { echo "build-payload: loadgen's $name differs from the pod's" >&2; exit 1; }
  ln -sf "../pod/$name" "$library"
done
for model in "$@"; do cp "$model" "$stage/payload/models/"; done

echo "build-payload: compressing (xz ${XZ_OPT:--6 -T0}) ..."
rm -f "$out"/payload.tar.xz.part-* "$out/SHA256SUMS"
tar -C "$stage" -cf - payload | XZ_OPT="${XZ_OPT:--6 -T0}" xz -c > "$stage/payload.tar.xz"
split -b "$part_size" -d -a 2 "$stage/payload.tar.xz" "$out/payload.tar.xz.part-"
(cd "$out" && sha256sum payload.tar.xz.part-* > SHA256SUMS)
(cd "$stage" && sha256sum payload.tar.xz) >> "$out/SHA256SUMS"
cp "$repo/bench/gpu/run-gpu-bench.sh" "$repo/bench/gpu/gpu_result.py" "$out/"
echo "build-payload: $(ls "$out"/payload.tar.xz.part-* | wc -l) part(s), $(du -sh "$stage/payload.tar.xz" | cut -f1) compressed, $(du -sh "$stage/payload" | cut -f1) unpacked, in $out"
ls -l "$out"
