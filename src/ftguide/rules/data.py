"""Rules keyed on the dataset: the quick-start tiers, batch size, epochs, schedule and evaluation cadence."""

from __future__ import annotations

import math
from collections.abc import Iterator

from ftguide.rules import Context, Fix, rule

# The guide's "Quick Start Configurations": < 500, 500-5000 and > 5000 examples.
QUICK_START: dict[str, dict[str, float | int]] = {
    "small": {
        "learning_rate": 1e-4,
        "num_epochs": 3,
        "batch_size": 4,
        "gradient_accumulation_steps": 4,
        "lora_r": 8,
        "lora_alpha": 16,
        "lora_dropout": 0.1,
        "warmup_ratio": 0.1,
    },
    "medium": {
        "learning_rate": 2e-4,
        "num_epochs": 2,
        "batch_size": 4,
        "gradient_accumulation_steps": 4,
        "lora_r": 16,
        "lora_alpha": 32,
        "lora_dropout": 0.05,
        "warmup_ratio": 0.03,
    },
    "large": {
        "learning_rate": 2e-4,
        "num_epochs": 1,
        "batch_size": 8,
        "gradient_accumulation_steps": 2,
        "lora_r": 32,
        "lora_alpha": 64,
        "lora_dropout": 0.05,
        "warmup_ratio": 0.03,
    },
}

# The guide's "Epochs vs Steps" table and "Recommended Effective Batch" table, per tier.
EPOCH_RANGE: dict[str, tuple[float, float]] = {"small": (3, 5), "medium": (2, 3), "large": (1, 2)}
EFFECTIVE_BATCH_RANGE: dict[str, tuple[int, int]] = {"small": (8, 16), "medium": (16, 32), "large": (32, 64)}

#: Scheduler by the number of optimizer steps (the guide's "Scheduler Options", made concrete).
VERY_SHORT_STEPS = 20
SHORT_STEPS = 50
LONG_STEPS = 5000
EARLY_STOPPING_PATIENCE = 3
EVALS_PER_RUN = 10
EVAL_EXAMPLES_TARGET = 200
TIER_LABEL = {"small": "< 500 examples", "medium": "500-5000 examples", "large": "> 5000 examples"}


def tier(examples: int) -> str:
    """The guide's dataset tier: small (< 500), medium (500-5000), large (> 5000)."""
    if examples < 500:
        return "small"
    if examples <= 5000:
        return "medium"
    return "large"


@rule("DS001", "dataset-tier-defaults", order=10, kind="default", fields=tuple(QUICK_START["small"]))
def dataset_tier_defaults(ctx: Context) -> Iterator[Fix]:
    """Start from the guide's quick-start configuration for the dataset's size.

    Why:
    Small datasets overfit quickly and want a lower learning rate, more passes, a small rank and more
    dropout; large ones carry more signal per step and take a larger rank and batch.

    Table:
    | examples  | lr   | epochs | batch | accum | r  | alpha | dropout | warmup |
    | < 500     | 1e-4 | 3      | 4     | 4     | 8  | 16    | 0.1     | 0.1    |
    | 500-5000  | 2e-4 | 2      | 4     | 4     | 16 | 32    | 0.05    | 0.03   |
    | > 5000    | 2e-4 | 1      | 8     | 2     | 32 | 64    | 0.05    | 0.03   |

    Example:
    800 examples fall in the 500-5000 tier: lr 2e-4, 2 epochs, batch 4 x 4, r 16, alpha 32, dropout 0.05.
    """
    if ctx.examples is None:
        return
    name = tier(ctx.examples)
    for key, value in QUICK_START[name].items():
        if key == "lora_alpha":
            continue  # alpha follows the final rank (LO002), which gives these same values by default
        yield Fix(key, value, f"quick-start configuration for {TIER_LABEL[name]} ({ctx.examples} given)")


@rule("DS002", "eval-split", order=20, kind="default", fields=("val_set_size",))
def eval_split(ctx: Context) -> Iterator[Fix]:
    """Hold out about 200 examples for evaluation, between 1% and 10% of the data.

    Why:
    Early stopping and the overfitting signs of the guide (validation loss rising while training loss falls)
    need a validation loss; 200 examples measure it well without starving training.

    Example:
    800 examples: 10% (80) held out; 20000 examples: 1% (200).
    """
    if ctx.examples is None:
        return
    fraction = min(0.1, max(0.01, EVAL_EXAMPLES_TARGET / ctx.examples))
    fraction = round(fraction, 3)
    held = round(ctx.examples * fraction)
    yield Fix("val_set_size", fraction, f"hold out {held} of {ctx.examples} examples for evaluation")


@rule("TR001", "epochs-by-dataset-size", order=40, kind="check", fields=("num_epochs",))
def epochs_by_size(ctx: Context) -> Iterator[Fix]:
    """Keep the number of epochs in the guide's range for the dataset size.

    Why:
    Small data needs several passes to learn anything; large data overfits if passed over too often.

    Table:
    | examples | epochs |
    | < 500    | 3-5    |
    | medium   | 2-3    |
    | > 5000   | 1-2    |

    Example:
    6 epochs on 300 examples is outside 3-5: 5 is recommended.
    """
    if ctx.examples is None or not ctx.has("num_epochs"):
        return
    name = tier(ctx.examples)
    low, high = EPOCH_RANGE[name]
    epochs = float(ctx.values["num_epochs"])
    if epochs < low or epochs > high:
        target = low if epochs < low else high
        yield Fix("num_epochs", target, f"{TIER_LABEL[name]} want {low:g}-{high:g} epochs")


@rule("BA001", "effective-batch-by-dataset-size", order=50, kind="check", fields=("gradient_accumulation_steps",))
def effective_batch(ctx: Context) -> Iterator[Fix]:
    """Hold effective batch = batch_size * gradient_accumulation_steps * num_gpus in the guide's range.

    Why:
    The effective batch sets how noisy each update is. The guide recommends 8-16 below 500 examples,
    16-32 up to 5000 and 32-64 above. (Its own large-dataset quick start, 8 x 2 = 16, sits under that
    range; ftguide raises the accumulation to reach 32.)

    Table:
    | examples  | effective batch |
    | < 500     | 8-16            |
    | 500-5000  | 16-32           |
    | > 5000    | 32-64           |

    Example:
    batch 8, accumulation 2 on one GPU with 20000 examples is 16: accumulation 4 makes it 32.
    """
    eff = ctx.effective_batch
    if ctx.examples is None or eff is None:
        return
    name = tier(ctx.examples)
    low, high = EFFECTIVE_BATCH_RANGE[name]
    if low <= eff <= high:
        return
    per_step = int(ctx.values["batch_size"]) * ctx.num_gpus
    where = f"effective batch {eff} is outside {low}-{high} for {TIER_LABEL[name]}"
    if per_step > high:
        yield Fix("batch_size", max(1, high // ctx.num_gpus), f"{where}: {per_step} samples per step alone exceed it")
        yield Fix("gradient_accumulation_steps", 1, f"{where}: no accumulation needed")
        return
    # The upper bound is twice the lower one in every tier, so both cases land inside the range.
    accum = math.ceil(low / per_step) if eff < low else high // per_step
    yield Fix("gradient_accumulation_steps", accum, f"{where}; {per_step} per step x {accum} = {accum * per_step}")


@rule("TR002", "warmup-present", order=110, kind="check", fields=("warmup_ratio",))
def warmup_present(ctx: Context) -> Iterator[Fix]:
    """Warm the learning rate up over 3-10% of the steps.

    Why:
    The guide's first fixes for a loss that explodes to NaN are a lower learning rate and warmup steps;
    starting at full learning rate on freshly initialised adapters is the usual cause.

    Example:
    warmup_ratio 0 is raised to 0.03; 0.3 is lowered to 0.1.
    """
    if not ctx.has("warmup_ratio"):
        return
    value = float(ctx.values["warmup_ratio"])
    if value < 0.03:
        yield Fix("warmup_ratio", 0.03, "no (or almost no) warmup risks an early loss spike (guide: add warmup)")
    elif value > 0.1:
        yield Fix("warmup_ratio", 0.1, "more than 10% warmup wastes the run's learning-rate budget")


@rule("TR003", "scheduler-by-run-length", order=120, kind="default", fields=("lr_scheduler",))
def scheduler(ctx: Context) -> Iterator[Fix]:
    """Pick the learning-rate schedule from the number of optimizer steps.

    Why:
    The guide: cosine for most cases, linear for short training, constant for very short runs,
    cosine with restarts for long training. ftguide reads "very short" as under 20 optimizer steps,
    "short" as under 50 and "long" as over 5000.

    Table:
    | optimizer steps | scheduler            |
    | < 20            | constant             |
    | 20-49           | linear               |
    | 50-5000         | cosine               |
    | > 5000          | cosine_with_restarts |

    Example:
    800 examples, effective batch 16, 2 epochs: 90 steps, cosine.
    """
    steps = ctx.total_steps()
    if steps is None:
        yield Fix("lr_scheduler", "cosine", "the guide's default for most cases (run length unknown)")
        return
    if steps < VERY_SHORT_STEPS:
        yield Fix("lr_scheduler", "constant", f"{steps} optimizer steps is a very short run")
    elif steps < SHORT_STEPS:
        yield Fix("lr_scheduler", "linear", f"{steps} optimizer steps is short training")
    elif steps > LONG_STEPS:
        yield Fix("lr_scheduler", "cosine_with_restarts", f"{steps} optimizer steps is long training")
    else:
        yield Fix("lr_scheduler", "cosine", f"{steps} optimizer steps: the guide's default for most cases")


@rule("TR004", "early-stopping", order=130, kind="default", fields=("early_stopping_patience",))
def early_stopping(ctx: Context) -> Iterator[Fix]:
    """Stop after 3 evaluations without improvement of the validation loss, keeping the best checkpoint.

    Why:
    The guide's overfitting signs are training loss falling while validation loss rises; early stopping
    with patience 3 ends the run there and keeps the best adapter.

    Example:
    early_stopping_patience 3, with evaluation and saving at the same step cadence.
    """
    if float(ctx.get("val_set_size", 0.1)) <= 0:
        return
    yield Fix("early_stopping_patience", EARLY_STOPPING_PATIENCE, "guide: stop after 3 evals without improvement")


@rule("TR005", "eval-cadence", order=140, kind="default", fields=("eval_steps",))
def eval_cadence(ctx: Context) -> Iterator[Fix]:
    """Evaluate (and save) about 10 times over the run.

    Why:
    Early stopping can only act at evaluations: with patience 3, a run needs several more evaluations than
    that for stopping to happen before the end, and checkpoints must be saved at the same steps so the
    best one can be restored.

    Example:
    90 optimizer steps: evaluate and save every 9 steps.
    """
    steps = ctx.total_steps()
    if steps is None:
        yield Fix("eval_steps", 50, "run length unknown: evaluate every 50 steps")
        return
    every = max(1, steps // EVALS_PER_RUN)
    yield Fix("eval_steps", every, f"{steps} optimizer steps: {math.ceil(steps / every)} evaluations and saves")


@rule("TR006", "eval-cadence-supports-early-stopping", order=150, kind="check", fields=("eval_steps",))
def eval_cadence_check(ctx: Context) -> Iterator[Fix]:
    """Evaluate often enough for early stopping's patience to act before the run ends.

    Why:
    With patience p, stopping needs at least p + 1 evaluations; fewer means early stopping is configured
    but can never trigger.

    Example:
    60 steps with eval_steps 50 gives 1 evaluation: eval_steps 6 gives 10.
    """
    steps = ctx.total_steps()
    patience = ctx.get("early_stopping_patience")
    if steps is None or not patience or not ctx.has("eval_steps"):
        return
    evals = steps // int(ctx.values["eval_steps"])
    if evals < int(patience) + 1 and steps >= int(patience) + 1:
        every = max(1, steps // EVALS_PER_RUN)
        yield Fix("eval_steps", every, f"{evals} evaluations in {steps} steps cannot trigger patience {patience}")


@rule(
    "GN001",
    "training-defaults",
    order=160,
    kind="default",
    fields=("weight_decay", "max_grad_norm", "logging_steps", "seed"),
)
def training_defaults(ctx: Context) -> Iterator[Fix]:
    """Settings the guide leaves open take the libraries' safe defaults.

    Why:
    No weight decay on LoRA adapters (their dropout regularises), gradient clipping at 1.0, a fixed seed for
    reproducible runs and a log line every step. (Attention is the model family's: AT001.)

    Example:
    weight_decay 0.0, max_grad_norm 1.0, seed 42, logging_steps 1.
    """
    yield Fix("weight_decay", 0.0, "LoRA dropout already regularises the adapter")
    yield Fix("max_grad_norm", 1.0, "clip gradients at 1.0 (library default)")
    yield Fix("logging_steps", 1, "log every optimizer step so loss problems show at once")
    yield Fix("seed", 42, "fixed seed: the same profile gives the same run")
