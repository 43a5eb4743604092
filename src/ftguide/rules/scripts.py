"""Training scripts read with ``ast``: arguments the pinned libraries no longer take."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ftguide.models import Finding
from ftguide.rules import rule

# Arguments the pinned libraries removed: (call group, keyword) -> (replacement, why).
REMOVED: dict[tuple[str, str], tuple[str | None, str]] = {
    ("args", "warmup_ratio"): ("warmup_steps", "removed in transformers 5.17; a float < 1 in warmup_steps is a ratio"),
    ("args", "evaluation_strategy"): ("eval_strategy", "removed in transformers 4.46+"),
    ("args", "no_cuda"): ("use_cpu", "removed in transformers 5"),
    ("args", "overwrite_output_dir"): (None, "removed in transformers 5"),
    ("args", "logging_dir"): (None, "removed in transformers 5.17 (set TENSORBOARD_LOGGING_DIR)"),
    ("args", "save_safetensors"): (None, "removed in transformers 5"),
    ("args", "group_by_length"): (None, "removed in transformers 5 (train_sampling_strategy='group_by_length')"),
    ("args", "max_seq_length"): ("max_length", "SFTConfig renamed it max_length (TRL 0.16) and removed it (0.20)"),
    ("trainer", "tokenizer"): ("processing_class", "SFTTrainer takes processing_class since TRL 0.12"),
    ("trainer", "max_seq_length"): (None, "not an SFTTrainer argument since TRL 0.20: SFTConfig(max_length=...)"),
    ("trainer", "dataset_text_field"): (None, "not an SFTTrainer argument in TRL 1.x: SFTConfig(dataset_text_field=)"),
    ("trainer", "packing"): (None, "not an SFTTrainer argument in TRL 1.x: SFTConfig(packing=...)"),
    ("load", "load_in_4bit"): (None, "removed in transformers 5: quantization_config=BitsAndBytesConfig(...)"),
    ("load", "load_in_8bit"): (None, "removed in transformers 5: quantization_config=BitsAndBytesConfig(...)"),
    ("load", "use_auth_token"): ("token", "removed in transformers 5"),
}


@rule("PY001", "removed-argument", order=1100, kind="script", fields=(), severity="error")
def removed_argument(call: str, group: str, keyword: str, value: Any, line: int) -> Iterator[Finding]:
    """A keyword argument the pinned transformers / TRL releases removed: the script fails at that call.

    Why:
    transformers 5 and TRL 1.x dropped or moved many arguments that older tutorials still use
    (`evaluation_strategy`, `SFTTrainer(tokenizer=...)`, `from_pretrained(load_in_4bit=True)`); they now raise
    a TypeError when the script starts, or are ignored.

    Example:
    `SFTTrainer(tokenizer=tok)` -> `SFTTrainer(processing_class=tok)`.
    """
    from ftguide.rules import report

    removed = REMOVED.get((group, keyword))
    if removed is not None:
        yield report("PY001", f"{call}({keyword}=)", value, removed[0], f"line {line}: {keyword}= {removed[1]}")
