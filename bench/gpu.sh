#!/usr/bin/env bash
# The benchmark on a GPU machine (H100/H200) with no internet access, in two calls of the device tool:
#   bash bench/gpu-pack.sh                 # here: wheels and Kiwi's model into .gpu-carry/
#   bash bench/gpu.sh stash                # there, carrying .gpu-carry/1: keeps the first part
#   bash bench/gpu.sh [bench.py args...]   # there, carrying .gpu-carry/2: installs, then benchmarks
# The image there has torch (CUDA 13) and transformers; CTranslate2's GPU build needs cuBLAS 12, which it
# lacks, so the GPU path measured there is torch: naive loop, batched fp16 generate, the project's
# transformers path with generate and with its static CUDA-graph decoder, the whole brief job, the
# whole job against a simulated device as fast as generate (job-sim), then a profile of one batch.
set -euo pipefail
cd "$(dirname "$0")/.."
STASH=/tmp/summarize-gpu-stash
mkdir -p "$STASH"
for d in .gpu-carry/1 .gpu-carry/2; do [ -d "$d" ] && cp -r "$d"/. "$STASH"/; done
if [ "${1:-}" = stash ]; then ls -la "$STASH"; exit 0; fi

SITE=/tmp/summarize-site
if [ ! -d "$SITE/kiwipiepy_model" ]; then
  python3 -m pip install -q --no-index --no-deps --no-compile --target "$SITE" "$STASH"/wheels/*.whl
  cat "$STASH"/kiwi.tar.xz.part-* | xz -d | tar -C "$SITE" -xf -
fi
export PYTHONPATH="$SITE:$PWD" HF_HUB_OFFLINE=1 PYTHONUNBUFFERED=1
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
python3 -c 'import torch, transformers, kiwipiepy; print("torch", torch.__version__, "transformers", transformers.__version__, "kiwipiepy", kiwipiepy.__version__)'
# identical tokens: the static CUDA-graph decoder against generate, fp16 on this GPU, on the tiny model
python3 -m pytest -q -p no:cacheprovider tests/test_static_decoding.py 2>&1 | tail -3 || true
out=${OUT:-bench/results}
python3 bench/bench.py --device cuda --out "$out" --new-tokens 40 --repeats 3 --naive-sentences 16 \
  --sentences-x 40 --gpu-batch 1024 --max-batch-tokens 65536 --job-copies 60 "$@"
# where a batch's time goes: host against device, and the top kernels of each decoder
python3 bench/profile_gpu.py --out "$out" --batch 1024 --new-tokens 40 || true
