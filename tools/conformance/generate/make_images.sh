#!/usr/bin/env bash
# Renders the Shapes images that the shapes-vl goldens use, with the Tempera CLI, and writes each scene as JSON
# next to its PNG (the ground truth a reader checks the greedy descriptions against).
#
#   tools/conformance/generate/make_images.sh
#
# The images are committed; rerun this only to change them (then rerun tjs_goldens.mjs). TEMPERA overrides the
# command (default: the repository's ./tempera launcher, which rebuilds the CLI when sources changed).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
out="$root/tempera-text/src/test/resources/conformance/images"
mkdir -p "$out"

render() { # name seed size prompt
  ${TEMPERA:-"$root/tempera"} shapes render --prompt "$4" --seed "$2" --size "$3" --out "$out/$1.png" --json \
    | /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); d.pop("out"); print(json.dumps(d, ensure_ascii=False, indent=2))' \
    > "$out/$1.json"
}

# 64×64: the size the model was trained on; transformers.js upsamples these to 112×112 (sharp, bicubic).
render red-circle-64 1 64 "a large red circle on a blue background"
render star-square-64 2 64 "a small yellow star on the left and a large green square on the right, on a black background"
render triangle-64 3 64 "a small white triangle at the top of an orange background"
# 112×112: smart_resize keeps 112×112, so no resampling happens anywhere (transformers.js skips resize).
render diamond-circle-112 4 112 "a large purple diamond on the left and a small brown circle on the right, on a gray background"
