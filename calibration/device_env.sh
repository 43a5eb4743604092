# Sets up the Python packages for a calibration run on the lent GPU machine.
#
#   source calibration/device_env.sh peft|unsloth || exit 1
#
# The packages that machine lacks, or has at other versions, travel in the ignored folder
# .devsite/<name>/ (name it in the run's `carry`): wheels/ holds wheels, and site/ holds trees
# unpacked and trimmed here (bitsandbytes with its CUDA 13.0 library only; unsloth without its
# web studio). They go into /tmp/site-<name>, which comes first on PYTHONPATH, so that they
# shadow the image's own copies (peft 0.21.0, and transformers 5.17.0 for the peft stack). The
# versions are then checked against ftguide.versions.TARGET_VERSIONS.

_devenv_fail() { echo "device_env: ERROR: $*" >&2; }

_devenv_setup() {
    local name=${1:-} root payload site
    case $name in
        peft | unsloth) ;;
        *) _devenv_fail "usage: source calibration/device_env.sh peft|unsloth"; return 1 ;;
    esac
    root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd) || return 1
    payload=$root/.devsite/$name
    site=/tmp/site-$name
    [ -d "$payload/wheels" ] || { _devenv_fail "$payload/wheels is missing: carry .devsite/$name"; return 1; }

    rm -rf "$site" && mkdir -p "$site" || { _devenv_fail "cannot create $site"; return 1; }
    PIP_DISABLE_PIP_VERSION_CHECK=1 python3 -m pip install -q --no-index --no-deps --no-compile \
        --no-cache-dir --target "$site" "$payload"/wheels/*.whl \
        || { _devenv_fail "pip install of $payload/wheels failed"; return 1; }
    if [ -d "$payload/site" ]; then
        cp -a "$payload/site/." "$site/" || { _devenv_fail "copying $payload/site failed"; return 1; }
    fi
    # torchao's wheel ships a top-level `test` package, which would hide the standard library's.
    rm -rf "$site/test"

    # Sourcing again (the other stack) replaces the payload rather than stacking both.
    export DEVENV_PYTHONPATH0=${DEVENV_PYTHONPATH0-${PYTHONPATH:-}}
    export PYTHONPATH="$site:$root/src${DEVENV_PYTHONPATH0:+:$DEVENV_PYTHONPATH0}"
    # No network there: go offline, and switch off telemetry and statistics downloads.
    export HF_HUB_OFFLINE=1 HF_DATASETS_OFFLINE=1 TRANSFORMERS_OFFLINE=1
    export HF_HUB_DISABLE_TELEMETRY=1 DO_NOT_TRACK=1 UNSLOTH_DISABLE_STATISTICS=1
    export WANDB_MODE=disabled WANDB_DISABLED=true
    export TOKENIZERS_PARALLELISM=false PYTHONUNBUFFERED=1

    DEVENV_STACK=$name DEVENV_SITE=$site python3 - <<'EOF' || { _devenv_fail "the $name stack does not import at the pinned versions"; return 1; }
import importlib, importlib.metadata as md, os, sys
from ftguide.versions import TARGET_VERSIONS

stack = os.environ["DEVENV_STACK"]
want = TARGET_VERSIONS[stack]
site = os.environ["DEVENV_SITE"]
bad = []
for dist in ["torch", "transformers", "peft", "trl", "datasets", "accelerate", "bitsandbytes", "pydantic", *(
        ["unsloth", "unsloth_zoo"] if stack == "unsloth" else [])]:
    version = md.version(dist)
    if dist.startswith("unsloth"):  # importing these needs a GPU; the version is enough here
        where = "payload" if os.path.isdir(os.path.join(site, dist)) else "image"
    else:
        mod = importlib.import_module(dist)
        where = "payload" if mod.__file__.startswith(site) else "image"
        version = getattr(mod, "__version__", version)
    ok = dist not in want or version == want[dist]
    bad += [] if ok else [f"{dist} {version} != {want[dist]}"]
    print(f"device_env: {dist:13} {version:18} ({where}){'' if ok else '  <-- WRONG'}")
if bad:
    sys.exit("device_env: version mismatch: " + "; ".join(bad))
EOF
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    echo "device_env: source this file (source calibration/device_env.sh peft|unsloth)" >&2
    exit 1
fi
_devenv_setup "$@"
_devenv_rc=$?
unset -f _devenv_setup _devenv_fail
return $_devenv_rc
