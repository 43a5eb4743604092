# Sets up Axolotl 0.19.0 and the packages its `axolotl train` path imports, on the lent GPU machine.
#
#   source calibration/axolotl_env.sh || exit 1
#
# That machine has Python 3.12 and torch 2.11.0+cu130 (Axolotl 0.19.0 accepts torch >= 2.11), and no network.
# What it lacks, or has at other versions, travels in the ignored folder .devsite/axolotl/ (name it in the
# run's `carry`; build it here with `bash calibration/axolotl_env.sh --payload`):
#   wheels/  axolotl 0.19.0 and Axolotl's own pins (transformers 5.16.1, peft 0.20.0, accelerate 1.13.0,
#            datasets 4.8.4, trl 1.9.0, tokenizers 0.23.1, huggingface_hub 1.17.0, pydantic 2.12.5), plus the
#            rest of the `axolotl train` import closure the image lacks (posthog, python-dotenv, fastcore,
#            addict, fire, the two axolotl-contribs packages built from their sdists, dill, multiprocess, and
#            evaluate + wandb, which axolotl/utils/callbacks imports at module level, with wandb's protobuf and
#            opentelemetry packages)
#   site/    bitsandbytes 0.50.2 unpacked, with its CUDA 13.0 library only (8 MB instead of a 43 MB wheel)
# The image's own numba, triton 3.6.0, typer, PyYAML, safetensors, pyarrow, pandas and fsspec are used as is.
# Everything goes into /tmp/site-axolotl, first on PYTHONPATH, so it shadows the image's transformers 5.17.0,
# peft 0.21.0 and accelerate 1.15.0.  The versions are then checked and the train path imported.

_axenv_fail() { echo "axolotl_env: ERROR: $*" >&2; }

_AXENV_PINS="axolotl==0.19.0 transformers==5.16.1 peft==0.20.0 accelerate==1.13.0 datasets==4.8.4 trl==1.9.0
tokenizers==0.23.1 huggingface_hub==1.17.0 pydantic==2.12.5 pydantic_core==2.41.5 annotated-types==0.8.0
typing-inspection==0.4.5 typing_extensions==4.16.0 dill==0.4.1 multiprocess==0.70.19 posthog==6.7.11
backoff==2.2.1 distro==1.9.0 python-dotenv==1.0.1 fastcore==2.2.41 addict==2.4.0 fire==0.7.1 termcolor==3.3.0
evaluate==0.4.1 wandb==0.31.0 protobuf==7.36.2 platformdirs==4.14.9 googleapis-common-protos==1.76.0
opentelemetry-api==1.45.2 opentelemetry-sdk==1.45.2 opentelemetry-semantic-conventions==0.66b2
opentelemetry-proto==1.45.2 opentelemetry-exporter-otlp-proto-common==1.45.2
opentelemetry-exporter-otlp-proto-http==1.45.2 opentelemetry-exporter-http-transport==0.66b2"

_axenv_payload() {  # run HERE (with network to PyPI): build .devsite/axolotl
    local root payload tmp
    root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd) || return 1
    payload=$root/.devsite/axolotl
    rm -rf "$payload" && mkdir -p "$payload/wheels" "$payload/site" || return 1
    # shellcheck disable=SC2086
    python3 -m pip download -q --no-deps --only-binary=:all: --python-version 3.12 --implementation cp \
        --platform manylinux_2_28_x86_64 --platform manylinux_2_27_x86_64 --platform manylinux_2_17_x86_64 \
        --platform manylinux2014_x86_64 --platform manylinux1_x86_64 -d "$payload/wheels" $_AXENV_PINS || return 1
    python3 -m pip wheel -q --no-deps -w "$payload/wheels" axolotl-contribs-lgpl==0.0.7 axolotl-contribs-mit==0.0.6 \
        || return 1
    tmp=$(mktemp -d) || return 1
    python3 -m pip download -q --no-deps --only-binary=:all: --python-version 3.12 --implementation cp \
        --platform manylinux_2_24_x86_64 -d "$tmp" bitsandbytes==0.50.2 || return 1
    python3 -m zipfile -e "$tmp"/bitsandbytes-*.whl "$payload/site" || return 1
    find "$payload/site/bitsandbytes" -name 'libbitsandbytes_*.so' ! -name '*_cuda130.so' ! -name '*_cpu.so' -delete
    rm -rf "$tmp"
    du -sh "$payload"
}

_axenv_setup() {
    local root payload site
    root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd) || return 1
    payload=$root/.devsite/axolotl
    site=/tmp/site-axolotl
    [ -d "$payload/wheels" ] || { _axenv_fail "$payload/wheels is missing: carry .devsite/axolotl"; return 1; }

    rm -rf "$site" && mkdir -p "$site" || { _axenv_fail "cannot create $site"; return 1; }
    PIP_DISABLE_PIP_VERSION_CHECK=1 python3 -m pip install -q --no-index --no-deps --no-compile \
        --no-cache-dir --target "$site" "$payload"/wheels/*.whl \
        || { _axenv_fail "pip install of $payload/wheels failed"; return 1; }
    if [ -d "$payload/site" ]; then
        cp -a "$payload/site/." "$site/" || { _axenv_fail "copying $payload/site failed"; return 1; }
    fi
    rm -rf "$site/test"

    export AXENV_PYTHONPATH0=${AXENV_PYTHONPATH0-${PYTHONPATH:-}}
    export PYTHONPATH="$site:$root/src${AXENV_PYTHONPATH0:+:$AXENV_PYTHONPATH0}"
    export PATH="$site/bin:$PATH"
    export HF_HUB_OFFLINE=1 HF_DATASETS_OFFLINE=1 TRANSFORMERS_OFFLINE=1
    export HF_HUB_DISABLE_TELEMETRY=1 DO_NOT_TRACK=1 AXOLOTL_DO_NOT_TRACK=1
    export WANDB_MODE=disabled WANDB_DISABLED=true
    export TOKENIZERS_PARALLELISM=false PYTHONUNBUFFERED=1

    AXENV_SITE=$site AXENV_PINS=$_AXENV_PINS python3 - <<'EOF' || { _axenv_fail "the axolotl stack does not import at the pinned versions"; return 1; }
import importlib, importlib.metadata as md, os, sys

site = os.environ["AXENV_SITE"]
bad = []
for spec in os.environ["AXENV_PINS"].split() + ["torch==2.11.0", "bitsandbytes==0.50.2"]:
    dist, _, want = spec.partition("==")
    version = md.version(dist)
    where = "payload" if str(md.distribution(dist).locate_file("")).startswith(site) else "image"
    ok = version.split("+")[0] == want
    bad += [] if ok else [f"{dist} {version} != {want}"]
    print(f"axolotl_env: {dist:20} {version:18} ({where}){'' if ok else '  <-- WRONG'}")
for dist in ("triton", "numba", "typer", "fsspec", "pyarrow"):
    print(f"axolotl_env: {dist:20} {md.version(dist):18} (image)")
import torch
import bitsandbytes
import axolotl.cli.main, axolotl.cli.train, axolotl.train, axolotl.core.builders, axolotl.utils.trainer  # noqa: F401
from bitsandbytes.cextension import lib
print("axolotl_env: cuda", torch.cuda.is_available(), torch.version.cuda, "bitsandbytes lib", getattr(lib, "_name", lib))
if bad:
    sys.exit("axolotl_env: version mismatch: " + "; ".join(bad))
EOF
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    if [ "${1:-}" = "--payload" ]; then
        _axenv_payload
        exit $?
    fi
    echo "axolotl_env: source this file (source calibration/axolotl_env.sh), or run it with --payload here" >&2
    exit 1
fi
_axenv_setup "$@"
_axenv_rc=$?
unset -f _axenv_setup _axenv_fail _axenv_payload
return $_axenv_rc
