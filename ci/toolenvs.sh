#!/usr/bin/env bash
# Build the isolated tool environments that ftguide's verification tests run the REAL tools in.
#
#   ci/toolenvs.sh [--force] [--check] [ENV ...]      ENV: train | axolotl | unsloth-src (default: all three)
#
#   train/        venv: CPU torch + transformers, peft, trl, datasets, accelerate, bitsandbytes (pinned; + triton
#                 if TRL < 1.16, see TRAIN_PINS). Run training in it with HF_HUB_OFFLINE=1.
#   axolotl/      venv: CPU torch + `axolotl --no-deps` + the packages its config schema imports and the import
#                 closure of `axolotl train` (AXOLOTL_TRAIN); `axolotl train` runs in it on a CPU
#   unsloth-src/  NOT a venv: the unsloth and unsloth_zoo wheels, unzipped (read as source, never imported)
#
# Location: ${FTGUIDE_TOOLENVS:-<repo>/.toolenvs}. Versions come from src/ftguide/versions.py.
# Each env holds a stamp file (.ftguide-stamp) listing what it was built for; an env whose stamp matches is
# reused as is, anything else is deleted and rebuilt. --force rebuilds anyway; --check builds nothing and
# exits 1 when some env is missing or stale.
#
# Environment knobs:
#   FTGUIDE_PYTHON          interpreter the venvs are made from (default: python3; needs >= 3.10)
#   FTGUIDE_TORCH_PIP_ARGS  extra pip args for the torch install only, e.g.
#                           "--index-url https://download.pytorch.org/whl/cpu" on machines without a local
#                           CPU wheel. A CUDA torch is refused (multi-GB, and CI is CPU only).
#
# Logs and timings go to stderr. Any failure exits non-zero; a half-built env has no stamp and is rebuilt
# from scratch on the next run.
set -Eeuo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROOT="${FTGUIDE_TOOLENVS:-$REPO/.toolenvs}"
PYTHON="${FTGUIDE_PYTHON:-python3}"
# Bump when the recipe below changes in a way the pinned versions do not capture.
RECIPE=1
STAMP_NAME=".ftguide-stamp"

log() { printf '[toolenvs %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
trap 'rc=$?; log "FAILED (exit $rc) at line $LINENO: $BASH_COMMAND"; exit $rc' ERR
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# ---------------------------------------------------------------------------------------------- arguments
FORCE=0
CHECK=0
WANT=()
for arg in "$@"; do
  case "$arg" in
    --force) FORCE=1 ;;
    --check) CHECK=1 ;;
    -h|--help) sed -n '2,/^set -Eeuo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    train|axolotl|unsloth-src) WANT+=("$arg") ;;
    *) die "unknown argument: $arg (expected --force, --check, train, axolotl, unsloth-src)" ;;
  esac
done
[[ ${#WANT[@]} -gt 0 ]] || WANT=(train axolotl unsloth-src)

# ---------------------------------------------------------------------------------------------- versions
command -v "$PYTHON" >/dev/null || die "interpreter not found: $PYTHON"
VERSIONS_PY="$REPO/src/ftguide/versions.py"
[[ -f "$VERSIONS_PY" ]] || die "missing $VERSIONS_PY"
# Execute versions.py with runpy (the ftguide package itself need not be importable).
version_vars="$("$PYTHON" - "$VERSIONS_PY" <<'EOF'
import runpy, shlex, sys
if sys.version_info < (3, 10):
    sys.exit(f"python >= 3.10 needed, got {sys.version.split()[0]}")
ns = runpy.run_path(sys.argv[1])
for key in ("TORCH_CPU", "TRANSFORMERS", "PEFT", "TRL", "DATASETS", "ACCELERATE", "BITSANDBYTES",
            "AXOLOTL", "UNSLOTH", "UNSLOTH_ZOO"):
    print(f"V_{key}={shlex.quote(str(ns[key]))}")
print(f"PY_VERSION={sys.version.split()[0]}")
EOF
)" || die "could not read $VERSIONS_PY"
eval "$version_vars"

# The minimal Axolotl recipe (shared/research/axolotl.md section 3.2B): axolotl itself with --no-deps plus
# only what `axolotl.utils.config` imports (pillow: schemas/multimodal.py imports PIL). These pins are
# Axolotl's own (0.19.0 requires transformers==5.16.1, peft==0.20.0, ...), independent of the train stack.
# evaluate + trl + wandb are there for plugins: `plugins: [axolotl.integrations.cut_cross_entropy.
# CutCrossEntropyPlugin]` imports axolotl.utils.callbacks (evaluate, wandb, trl); without them the plugin
# fails to load and its config keys (cut_cross_entropy) cannot be checked. `axolotl train` needs them too:
# axolotl/utils/callbacks/__init__.py imports evaluate and wandb (and wandb opentelemetry) at module level.
AXOLOTL_HELPERS=(
  "transformers==5.16.1" "tokenizers==0.23.1" "huggingface_hub==1.17.0" "peft==0.20.0"
  "accelerate==1.13.0" "pydantic==2.12.5" "PyYAML==6.0.3" "packaging==26.0" "datasets==4.8.4"
  "typer==0.25.1" "addict==2.4.0" "fire==0.7.1" "colorama==0.4.6" "pillow==12.3.0"
  "evaluate==0.4.1" "trl==1.9.0" "wandb==0.31.0"
)
# The rest of what `axolotl train` imports (axolotl.cli.main, axolotl.cli.train, axolotl.train and the trainer
# builders), found by running it on a CPU: posthog (telemetry/manager.py), python-dotenv (cli/main.py), fastcore
# (utils/model_shard_quant.py), numba (utils/samplers/multipack.py), triton (monkeypatch/trainer/utils.py
# imports it at module level, although no Triton kernel runs on a CPU), the two axolotl-contribs packages
# (axolotl.train), and bitsandbytes for 4-bit loading and the 8-bit optimizers. Versions are Axolotl 0.19.0's
# pins where it has one; triton 3.9.0 is the one the full axolotl install pairs with torch 2.13.0.
AXOLOTL_TRAIN=(
  "posthog==6.7.11" "python-dotenv==1.0.1" "fastcore==2.2.41" "numba==0.68.1" "triton==3.9.0"
  "axolotl-contribs-lgpl==0.0.7" "axolotl-contribs-mit==0.0.6" "bitsandbytes==0.50.2"
)

TRAIN_PINS=(
  "transformers==$V_TRANSFORMERS" "peft==$V_PEFT" "trl==$V_TRL" "datasets==$V_DATASETS"
  "accelerate==$V_ACCELERATE" "bitsandbytes==$V_BITSANDBYTES"
)
# triton, only for TRL < 1.16: TRL 1.15's SFTTrainer always computes the loss through its fused LM head, a
# Triton kernel (trl/kernels/chunked_logprob.py); 1.16 added a torch fallback for CPU tensors. Without triton
# every 1.15 training step dies with "AttributeError: 'NoneType' object has no attribute 'apply'"; with it, the
# kernel runs on a CPU only in Triton's interpreter, so callers must then export TRITON_INTERPRET=1 (otherwise
# "RuntimeError: 0 active drivers ([]). There should only be one."). 3.9.0 is the triton the full axolotl
# install pairs with torch 2.13.0; it adds about 1 GB to the venv.
TRITON="3.9.0"
if "$PYTHON" -c 'import sys; v = tuple(int(x) for x in sys.argv[1].split(".")[:2]); sys.exit(0 if v < (1, 16) else 1)' "$V_TRL"; then
  TRAIN_PINS+=("triton==$TRITON")
fi

stamp_for() {
  case "$1" in
    train) printf 'recipe=%s\npython=%s\ntorch=%s\n%s\n' "$RECIPE" "$PY_VERSION" "$V_TORCH_CPU" \
             "$(printf '%s\n' "${TRAIN_PINS[@]}")" ;;
    axolotl) printf 'recipe=%s\npython=%s\ntorch=%s\naxolotl=%s\n%s\n' "$RECIPE" "$PY_VERSION" "$V_TORCH_CPU" \
               "$V_AXOLOTL" "$(printf '%s\n' "${AXOLOTL_HELPERS[@]}" "${AXOLOTL_TRAIN[@]}")" ;;
    unsloth-src) printf 'recipe=%s\nunsloth=%s\nunsloth_zoo=%s\n' "$RECIPE" "$V_UNSLOTH" "$V_UNSLOTH_ZOO" ;;
  esac
}

is_current() {  # NAME
  local dir="$ROOT/$1"
  [[ -f "$dir/$STAMP_NAME" ]] && [[ "$(cat "$dir/$STAMP_NAME")" == "$(stamp_for "$1")" ]]
}

# ---------------------------------------------------------------------------------------------- helpers
PIP_FLAGS=(--disable-pip-version-check --no-input --progress-bar off)

pip_in() {  # VENV_DIR pip-args...
  local venv="$1"; shift
  "$venv/bin/python" -m pip "$@" "${PIP_FLAGS[@]}" >&2
}

make_venv_with_torch() {  # VENV_DIR
  local venv="$1" t
  t=$(now)
  "$PYTHON" -m venv "$venv"
  # Keep the CPU torch for every later install: a constraints file pins it.
  printf 'torch==%s\n' "$V_TORCH_CPU" > "$venv/ftguide-constraints.txt"
  # shellcheck disable=SC2086  # FTGUIDE_TORCH_PIP_ARGS is a user-provided word list
  pip_in "$venv" install "torch==$V_TORCH_CPU" ${FTGUIDE_TORCH_PIP_ARGS:-}
  "$venv/bin/python" - <<'EOF' >&2 || die "torch in $venv is not a CPU build (see above)"
import torch
if torch.version.cuda is not None or torch.version.hip is not None:
    raise SystemExit(f"refusing GPU torch build {torch.__version__} (cuda={torch.version.cuda}); "
                     "install a CPU wheel (set FTGUIDE_TORCH_PIP_ARGS)")
print("torch", torch.__version__, "(CPU build)")
EOF
  log "  venv + torch: $(since "$t") s"
}

check_dists() {  # VENV_DIR name==version...   (fails when an installed version differs from its pin)
  local venv="$1"; shift
  "$venv/bin/python" - "$@" <<'EOF' >&2
import sys
from importlib.metadata import version, PackageNotFoundError
bad = []
for spec in sys.argv[1:]:
    name, _, want = spec.partition("==")
    try:
        have = version(name)
    except PackageNotFoundError:
        have = None
    if have is None or have.split("+")[0] != want:
        bad.append(f"{name}: want {want}, have {have}")
if bad:
    raise SystemExit("version mismatch: " + "; ".join(bad))
print("pins ok:", " ".join(sys.argv[1:]))
EOF
}

# ---------------------------------------------------------------------------------------------- builders
build_train() {
  local venv="$ROOT/train" t
  make_venv_with_torch "$venv"
  t=$(now)
  pip_in "$venv" install -c "$venv/ftguide-constraints.txt" "${TRAIN_PINS[@]}"
  log "  train packages: $(since "$t") s"
  check_dists "$venv" "torch==$V_TORCH_CPU" "${TRAIN_PINS[@]}"
  t=$(now)
  HF_HUB_OFFLINE=1 "$venv/bin/python" -c \
    'import torch, transformers, tokenizers, peft, trl, datasets, accelerate, bitsandbytes; from trl import SFTTrainer, SFTConfig; from peft import LoraConfig, prepare_model_for_kbit_training; from transformers import BitsAndBytesConfig, EarlyStoppingCallback; from trl.trainer import utils as u; assert getattr(u, "_ChunkedLogProbFunction", True) is not None, "TRL fused LM head kernel not importable (triton missing)"; print("train imports ok: transformers", transformers.__version__, "peft", peft.__version__, "trl", trl.__version__, "datasets", datasets.__version__, "bitsandbytes", bitsandbytes.__version__)' >&2
  log "  train import check: $(since "$t") s"
}

build_axolotl() {
  local venv="$ROOT/axolotl" t
  make_venv_with_torch "$venv"
  t=$(now)
  pip_in "$venv" install -c "$venv/ftguide-constraints.txt" --no-deps "axolotl==$V_AXOLOTL"
  pip_in "$venv" install -c "$venv/ftguide-constraints.txt" "${AXOLOTL_HELPERS[@]}" "${AXOLOTL_TRAIN[@]}"
  log "  axolotl packages: $(since "$t") s"
  check_dists "$venv" "torch==$V_TORCH_CPU" "axolotl==$V_AXOLOTL" "${AXOLOTL_HELPERS[@]}" "${AXOLOTL_TRAIN[@]}"
  t=$(now)
  HF_HUB_OFFLINE=1 AXOLOTL_DO_NOT_TRACK=1 DO_NOT_TRACK=1 "$venv/bin/python" -c \
    'from axolotl.utils.config import validate_config; from axolotl.utils.schemas.config import AxolotlInputConfig, AxolotlConfigWCapabilities; import axolotl.integrations.cut_cross_entropy; import axolotl.cli.main, axolotl.cli.train, axolotl.train, axolotl.core.builders, axolotl.utils.trainer, bitsandbytes; import axolotl; print("axolotl imports ok (validator and train path):", axolotl.__version__)' >&2
  log "  axolotl import check: $(since "$t") s"
}

build_unsloth_src() {
  local dest="$ROOT/unsloth-src" dl t
  mkdir -p "$dest"
  dl="$(mktemp -d "$ROOT/.download.XXXXXX")"
  t=$(now)
  "$PYTHON" -m pip download "${PIP_FLAGS[@]}" --no-deps --only-binary=:all: -d "$dl" \
    "unsloth==$V_UNSLOTH" "unsloth_zoo==$V_UNSLOTH_ZOO" >&2
  "$PYTHON" - "$dl" "$dest" <<'EOF' >&2
import pathlib, sys, zipfile
src, dest = map(pathlib.Path, sys.argv[1:])
wheels = sorted(src.glob("*.whl"))
if len(wheels) != 2:
    raise SystemExit(f"expected 2 wheels, got {[w.name for w in wheels]}")
for whl in wheels:
    with zipfile.ZipFile(whl) as zf:
        zf.extractall(dest)
    print("unzipped", whl.name)
for rel in ("unsloth/__init__.py", "unsloth/models/loader.py", "unsloth/models/llama.py", "unsloth_zoo/__init__.py"):
    if not (dest / rel).is_file():
        raise SystemExit(f"missing {rel} in {dest}")
EOF
  rm -rf "$dl"
  log "  unsloth download + unzip: $(since "$t") s"
}

# ---------------------------------------------------------------------------------------------- main
if [[ $CHECK -eq 1 ]]; then
  stale=0
  for name in "${WANT[@]}"; do
    if is_current "$name"; then log "$name: current"; else log "$name: missing or stale"; stale=1; fi
  done
  exit $stale
fi

mkdir -p "$ROOT"
ROOT="$(cd "$ROOT" && pwd)"

# One builder at a time per folder (parallel CI jobs / test workers sharing a cache).
if command -v flock >/dev/null; then
  exec 9>"$ROOT/.lock"
  flock 9
fi

T0=$(now)
for name in "${WANT[@]}"; do
  dir="$ROOT/$name"
  if [[ $FORCE -eq 0 ]] && is_current "$name"; then
    log "$name: up to date ($dir), skipping"
    continue
  fi
  log "$name: building in $dir"
  t=$(now)
  rm -rf "$dir"
  case "$name" in
    train) build_train ;;
    axolotl) build_axolotl ;;
    unsloth-src) build_unsloth_src ;;
  esac
  stamp_for "$name" > "$dir/$STAMP_NAME"   # written last: a failed build leaves no stamp
  log "$name: built in $(since "$t") s ($(du -sh "$dir" | cut -f1))"
done
log "all done in $(since "$T0") s: ${WANT[*]} under $ROOT"
