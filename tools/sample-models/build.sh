#!/usr/bin/env bash
# Rebuilds every bundled sample model under models/ from the Shapes world, with fixed seeds.
#
#   tools/sample-models/build.sh            # everything: dataset, tokenizers, clip, vae, sd, sdxl, decoder, check
#   tools/sample-models/build.sh clip sd    # only some stages (later stages read what earlier ones left in work/)
#
# Needs Debian's PyTorch and ONNX for Python (see tools/sample-models/README.md):
#   sudo apt-get install -y python3-torch python3-onnx python3-regex libopenblas0-pthread
# Each stage logs its wall time to work/build.log. Training multiplies matrices in bfloat16 where the CPU does that
# fast (AMX / AVX512-BF16; TEMPERA_BF16=auto|1|0, common.bf16()): 4-7x faster per step on the build machine.
# Run nothing else heavy meanwhile: two jobs on these two cores each run at well under half speed.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="${TEMPERA_MODELS_WORK:-$here/work}"
python=/usr/bin/python3
export TEMPERA_MODELS_WORK="$work" TEMPERA_THREADS="${TEMPERA_THREADS:-2}"

all_stages=(dataset tokenizers clip vae sd sdxl decoder check)
stages=("$@")
[[ ${#stages[@]} -eq 0 ]] && stages=("${all_stages[@]}")
for s in "${stages[@]}"; do
  [[ " ${all_stages[*]} " == *" $s "* ]] || { echo "build.sh: unknown stage '$s'; stages: ${all_stages[*]}" >&2; exit 2; }
done

if ! "$python" -c 'import torch, onnx, regex, numpy, PIL' 2>/dev/null; then
  echo "build.sh: $python lacks torch/onnx/regex/numpy/PIL." >&2
  echo "  sudo apt-get install -y python3-torch python3-onnx python3-regex libopenblas0-pthread" >&2
  exit 1
fi
mkdir -p "$work"
log="$work/build.log"

run_stage() {
  local name="$1"; shift
  local start=$SECONDS
  echo "== $name: $*" | tee -a "$log"
  (cd "$here" && "$@") 2>&1 | tee -a "$log"
  echo "== $name took $((SECONDS - start)) s" | tee -a "$log"
}

total=$SECONDS
for s in "${stages[@]}"; do
  case "$s" in
    dataset)
      rm -rf "$work/data"
      run_stage dataset "$root/tempera" shapes dataset --count 30000 --seed 1 --size 64 --out "$work/data" ;;
    tokenizers) run_stage tokenizers "$python" make_tokenizers.py ;;
    clip) run_stage clip "$python" train_clip.py; run_stage clip-measure "$python" measure_clip.py ;;
    vae)
      run_stage vae "$python" train_vae.py
      # two more decoder-only phases: outlines weighted ×4 and noisy latents, so that a denoiser's small errors
      # still decode to shapes the checker reads (STATUS.md)
      run_stage vae-phase3 "$python" train_vae.py --continue-decoder --decoder-steps 2500 --edge 4 --latent-noise 0.1
      run_stage vae-phase4 "$python" train_vae.py --continue-decoder --decoder-steps 3000 --edge 4 --latent-noise 0.1
      run_stage vae-measure "$python" measure_diffusion.py vae ;;
    sd|sdxl)
      # the memory denoiser: memory picked with the Shapes checker (the CLI), relevance head + text towers trained
      run_stage "$s" "$python" train_unet.py "$s"
      run_stage "$s-measure" "$python" measure_diffusion.py "$s"
      run_stage "$s-measure-java" "$python" measure_java_diffusion.py "$s"
      run_stage "$s-card" "$python" write_diffusion_cards.py "$s" ;;
    decoder)
      run_stage vision "$python" pretrain_vision.py
      run_stage decoder "$python" train_decoder.py
      run_stage decoder-measure "$python" measure_decoder.py
      run_stage decoder-measure-java "$python" measure_java.py ;;
    check)
      if [[ ! -d "$work/node/node_modules/onnxruntime-node" ]]; then
        mkdir -p "$work/node"
        (cd "$work/node" && npm init -y >/dev/null && ONNXRUNTIME_NODE_INSTALL_CUDA=skip npm install --no-audit --no-fund onnxruntime-node@1.23.2)
      fi
      if [[ ! -d "$work/tjs/node_modules/@huggingface/transformers" ]]; then
        mkdir -p "$work/tjs"
        (cd "$work/tjs" && npm init -y >/dev/null && ONNXRUNTIME_NODE_INSTALL_CUDA=skip npm install --no-audit --no-fund @huggingface/transformers@4.3.2)
      fi
      run_stage check node "$here/check_golden.mjs"
      run_stage check-tokenizers bash -c "'$python' tokenizer_cases.py && node check_tokenizers.mjs" ;;
  esac
done
echo "== all stages (${stages[*]}) took $((SECONDS - total)) s" | tee -a "$log"
