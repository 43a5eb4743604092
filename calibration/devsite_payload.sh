#!/usr/bin/env bash
# Builds the packages a calibration run carries to the lent GPU machine (calibration/device_env.sh reads them):
#
#   bash calibration/devsite_payload.sh        # run HERE, with access to PyPI; writes .devsite/{peft,unsloth}
#
# The GPU image has torch, accelerate and transformers 5.17.0 but no bitsandbytes, TRL or datasets, and it can
# reach no registry.  Each stack gets wheels/ (installed there with pip --no-index) and site/ (trees unpacked
# and trimmed here, so that the carry stays under its 64 MiB): bitsandbytes with only its CUDA 13.0 and CPU
# libraries, and unsloth without its bundled web studio.  Versions come from src/ftguide/versions.py.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
eval "$(python3 - "$root/src/ftguide/versions.py" <<'PY'
import runpy, shlex, sys
ns = runpy.run_path(sys.argv[1])
for k in ("TRANSFORMERS", "PEFT", "TRL", "DATASETS", "BITSANDBYTES", "UNSLOTH", "UNSLOTH_ZOO", "UNSLOTH_TRL",
          "UNSLOTH_DATASETS"):
    print(f"V_{k}={shlex.quote(ns[k])}")
PY
)"
# The GPU image's Python is 3.12 on x86-64.
get() {
    python3 -m pip download -q --no-deps --only-binary=:all: --python-version 3.12 \
        --platform manylinux_2_28_x86_64 --platform manylinux_2_24_x86_64 --platform manylinux_2_17_x86_64 \
        --platform manylinux2014_x86_64 --platform any -d "$@"
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
get "$tmp" "bitsandbytes==$V_BITSANDBYTES" "unsloth==$V_UNSLOTH"
python3 -m zipfile -e "$tmp"/bitsandbytes-*.whl "$tmp/bnb"
find "$tmp/bnb/bitsandbytes" -name 'libbitsandbytes_*.so' ! -name '*_cuda130.so' ! -name '*_cpu.so' -delete
python3 -m zipfile -e "$tmp"/unsloth-*.whl "$tmp/unsloth"

# The image lacks pydantic, which ftguide (the runner's estimates) and the version check import.
common="pydantic==2.14.4 pydantic_core==2.50.5 annotated_types typing_inspection"
for stack in peft unsloth; do
    out=$root/.devsite/$stack
    rm -rf "$out" && mkdir -p "$out/wheels" "$out/site"
    cp -a "$tmp/bnb/." "$out/site/"
done
get "$root/.devsite/peft/wheels" "transformers==$V_TRANSFORMERS" "peft==$V_PEFT" "trl==$V_TRL" \
    "datasets==$V_DATASETS" dill multiprocess $common
get "$root/.devsite/unsloth/wheels" "unsloth_zoo==$V_UNSLOTH_ZOO" "trl==$V_UNSLOTH_TRL" \
    "datasets==$V_UNSLOTH_DATASETS" "peft==$V_PEFT" dill multiprocess tyro docstring_parser typeguard shtab torchao \
    cut_cross_entropy msgspec json5 structlog nest_asyncio $common
cp -a "$tmp/unsloth/unsloth" "$tmp"/unsloth/unsloth-*.dist-info "$root/.devsite/unsloth/site/"
du -sh "$root/.devsite/peft" "$root/.devsite/unsloth" >&2
