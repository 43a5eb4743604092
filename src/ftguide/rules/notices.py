"""What ``ftguide check`` could not judge, and why: a finding instead of a silence.

``check`` reports these itself with :func:`ftguide.rules.report`; the registry entry documents the code.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ftguide.rules import rule


@rule("CK001", "partly-checked", order=1300, kind="notice", fields=(), severity="info")
def partly_checked(*_: Any) -> Iterator[Any]:
    """A check ftguide skipped for this file, and what it needs to run it.

    Why:
    "No findings" must mean "checked and fine", never "could not look". Whenever a rule or the memory
    estimate cannot judge a file, `check` says which and why: a base model that is not in the catalog (pass
    `--model` with a catalog name or a local `config.json`), a purpose the guide's tables are not for (LoRA
    rules on a full fine-tune, the supervised learning-rate table on DPO or pre-training), an optimizer or
    setting the memory model does not model (`adamw_torch_8bit`, `gradient_checkpointing: offload`, a regex
    `lora_target_modules`), a config sharded over a number of GPUs the file does not state, or script values
    that come from the command line. The `field` names what was skipped (a rule code, `memory`, or a key).

    Example:
    `base_model: some-org/new-model` -> CK001 on `memory`: "not in the catalog; pass --model".
    """
    yield from ()
