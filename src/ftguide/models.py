"""The data that flows through ftguide: request in, profile and decisions out.

These pydantic models are the single source of truth for the JSON document ``ftguide suggest --format json``
prints, and for its JSON Schema (``ftguide schema``).  Field docstrings become the schema's descriptions.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ftguide.literals import (
    AlphaPattern,
    DatasetFormat,
    Distributed,
    Framework,
    Optimizer,
    Precision,
    Quantization,
    Scheduler,
    Severity,
    Task,
    TrainOn,
)

SCHEMA_VERSION = "1.0"

_FROZEN = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False, defer_build=True, use_attribute_docstrings=True)


class Overrides(BaseModel):
    """Values the user fixed on the command line; rules never replace them, they only warn."""

    model_config = _FROZEN

    learning_rate: float | None = Field(default=None, gt=0, le=1)
    num_epochs: float | None = Field(default=None, gt=0, le=100)
    batch_size: int | None = Field(default=None, ge=1, le=4096)
    gradient_accumulation_steps: int | None = Field(default=None, ge=1, le=4096)
    lora_r: int | None = Field(default=None, ge=1, le=4096)
    lora_alpha: int | None = Field(default=None, ge=1, le=16384)
    lora_dropout: float | None = Field(default=None, ge=0, lt=1)
    target_modules: str | None = None
    """A preset (``qv``, ``attention``, ``all``) or a comma-separated list of module names."""
    warmup_ratio: float | None = Field(default=None, ge=0, lt=1)
    lr_scheduler: Scheduler | None = None
    max_seq_length: int | None = Field(default=None, ge=16, le=1_048_576)
    quantization: Quantization | None = None
    gradient_checkpointing: bool | None = None
    embeddings_upcast: bool | None = None
    """Cast the frozen embeddings and LM head to fp32 in 4/8-bit runs (see ``Profile.embeddings_upcast``)."""
    chunked_cross_entropy: bool | None = None
    """Axolotl only: compute the fp32 loss chunk by chunk (see ``Profile.chunked_cross_entropy``)."""
    optimizer: Optimizer | None = None
    precision: Precision | None = None
    distributed: Distributed | None = None
    """How several GPUs share the work: ddp, fsdp (FSDP2), zero2 or zero3 (DeepSpeed)."""
    train_on: TrainOn | None = None
    """Which tokens carry the loss: ``responses`` or ``all`` (see ``Profile.train_on``)."""
    packing: bool | None = None
    """Pack several examples into each sequence (see ``Profile.packing``)."""

    def given(self) -> dict[str, Any]:
        """The fields the user actually set."""
        return {k: v for k, v in self.model_dump().items() if v is not None}


class Request(BaseModel):
    """Everything the user told ftguide, after parsing and validation."""

    model_config = _FROZEN

    examples: int = Field(ge=1, le=1_000_000_000)
    """Number of training examples in the dataset."""
    model: str = Field(min_length=1, max_length=512)
    """Catalog name, Hugging Face id, size class (``7B``) or path to a local ``config.json`` / model folder."""
    vram_gib: float | None = Field(default=None, gt=0, le=4096)
    """GPU memory budget per GPU in GiB (``--vram``); taken from ``--gpu`` when not given."""
    gpu: str | None = None
    """Catalog name of the GPU (``--gpu``)."""
    num_gpus: int = Field(default=1, ge=1, le=1024)
    framework: Framework = "peft"
    """Which training stack the memory estimate models (and which file ``--emit`` defaults to)."""
    dataset_format: DatasetFormat = "alpaca"
    dataset_path: str = Field(default="data/train.jsonl", min_length=1, max_length=4096)
    """Path of the training data written into rendered files."""
    output_dir: str = Field(default="outputs/lora", min_length=1, max_length=4096)
    """Where the rendered files save checkpoints and the adapter."""
    alpha_pattern: AlphaPattern = "standard"
    task: Task | None = None
    """What the fine-tune is for; picks the LoRA rank from the guide's rank table when given."""
    overrides: Overrides = Overrides()
    dataset_stats: dict[str, Any] | None = None
    """What ``--dataset`` found (count, format, lengths), when a dataset was read."""


class VramRequest(BaseModel):
    """What ``ftguide vram`` was asked: an explicit configuration to price."""

    model_config = _FROZEN

    model: str = Field(min_length=1, max_length=512)
    quantization: Quantization = "4bit"
    lora_r: int = Field(default=16, ge=1, le=4096)
    lora_dropout: float = Field(default=0.05, ge=0, lt=1)
    target_modules: str = Field(default="all", min_length=1, max_length=4096)
    batch_size: int = Field(default=1, ge=1, le=4096)
    seq_len: int = Field(default=2048, ge=16, le=1_048_576)
    gradient_checkpointing: bool = True
    optimizer: Optimizer | None = None
    """None: 8-bit AdamW for quantized models, fused AdamW for 16-bit ones."""
    framework: Framework = "peft"
    num_gpus: int = Field(default=1, ge=1, le=1024)
    distributed: Distributed | None = None
    """None: ddp on several GPUs."""
    vram_gib: float | None = Field(default=None, gt=0, le=4096)
    gpu: str | None = None


class Decision(BaseModel):
    """Why one profile value is what it is."""

    model_config = _FROZEN

    field: str
    value: Any
    rule: str
    """Code of the rule that set the value (``USER`` for a value given on the command line)."""
    reason: str


class Finding(BaseModel):
    """A rule that a value breaks: reported by ``check``, and by ``suggest`` as a warning for overrides."""

    model_config = _FROZEN

    code: str
    symbol: str
    severity: Severity
    field: str
    value: Any
    recommended: Any
    message: str


class Profile(BaseModel):
    """A complete LoRA / QLoRA training configuration."""

    model_config = _FROZEN

    base_model: str = Field(min_length=1, max_length=4096)
    """Hugging Face id or local folder of the model to fine-tune."""
    learning_rate: float = Field(gt=0, le=1)
    num_epochs: float = Field(gt=0, le=100)
    batch_size: int = Field(ge=1, le=4096)
    """Micro-batch size per GPU."""
    gradient_accumulation_steps: int = Field(ge=1, le=4096)
    effective_batch_size: int = Field(ge=1)
    """batch_size * gradient_accumulation_steps * num_gpus."""
    lora_r: int = Field(ge=1, le=4096)
    lora_alpha: int = Field(ge=1, le=16384)
    lora_dropout: float = Field(ge=0, lt=1)
    target_modules: list[str] = Field(min_length=1)
    warmup_ratio: float = Field(ge=0, lt=1)
    lr_scheduler: Scheduler
    max_seq_length: int = Field(ge=16, le=1_048_576)
    quantization: Quantization
    gradient_checkpointing: bool
    embeddings_upcast: bool = True
    """4/8-bit runs only: cast the frozen 16-bit weights left unquantized (embeddings, LM head, fused MoE experts)
    to fp32, as PEFT's ``prepare_model_for_kbit_training`` and Axolotl do by default. False keeps them in 16-bit
    (norms stay fp32): 2 bytes less per such parameter (Axolotl: ``embeddings_skip_upcast``)."""
    chunked_cross_entropy: bool = False
    """Axolotl only (``chunked_cross_entropy: true``): compute the cross-entropy loss over the logits chunk by
    chunk, upcasting one chunk at a time to fp32, instead of the whole batch x sequence x vocabulary at once.
    Same loss, no quality cost: about 5-6 bytes less per logit element (11.7 GiB on Llama-3.2-1B at 16 x 1024).
    The PEFT and Unsloth scripts ignore it: their trainers never hold the full fp32 logits."""
    optimizer: Optimizer
    precision: Precision
    early_stopping_patience: int | None = Field(default=None, ge=1, le=1000)
    """Evaluations without improvement before training stops; null turns early stopping off."""
    num_gpus: int = Field(default=1, ge=1, le=1024)
    distributed: Distributed = "none"
    """Multi-GPU engine: none (one GPU), ddp, fsdp (PyTorch FSDP2), zero2 or zero3 (DeepSpeed ZeRO)."""
    val_set_size: float = Field(default=0.1, ge=0, lt=1)
    """Fraction of the examples held out for evaluation."""
    eval_steps: int = Field(default=10, ge=1)
    """Optimizer steps between evaluations (and checkpoints: saves follow evaluations)."""
    logging_steps: int = Field(default=1, ge=1)
    weight_decay: float = Field(default=0.0, ge=0, le=1)
    max_grad_norm: float = Field(default=1.0, gt=0, le=1000)
    seed: int = Field(default=42, ge=0, le=2**32 - 1)
    dataset_format: DatasetFormat = "alpaca"
    dataset_path: str = Field(default="data/train.jsonl", min_length=1, max_length=4096)
    output_dir: str = Field(default="outputs/lora", min_length=1, max_length=4096)
    attn_implementation: Literal["sdpa", "flash_attention_2", "eager"] = "sdpa"
    chat_template: str | None = None
    """Axolotl chat template name for chat-format datasets; null uses the tokenizer's own."""
    train_on: TrainOn = "responses"
    """Which tokens carry the loss, the same in every target: ``responses`` trains each assistant turn (an
    alpaca output, a completion) and the end-of-turn token after it; ``all`` trains the prompts too (every
    turn's content and its end-of-turn token). Text rows always train on every token."""
    packing: bool = False
    """Pack several examples into each training sequence of ``max_seq_length`` tokens (Axolotl
    ``sample_packing``, TRL ``packing``), so that short examples do not pay for padding."""

    @model_validator(mode="after")
    def _consistent(self) -> Profile:
        if (self.distributed == "none") != (self.num_gpus == 1):
            raise ValueError("distributed must be 'none' with one GPU and a multi-GPU engine with several")
        expected = self.batch_size * self.gradient_accumulation_steps * self.num_gpus
        if self.effective_batch_size != expected:
            raise ValueError(
                f"effective_batch_size must be batch_size * gradient_accumulation_steps * num_gpus = {expected}"
            )
        if len(set(self.target_modules)) != len(self.target_modules):
            raise ValueError("target_modules must not repeat a module")
        for name in self.target_modules:
            if not name or not all(c.isalnum() or c in "_." for c in name):
                raise ValueError(f"target module {name!r} must be letters, digits, '_' or '.'")
        return self


class MemoryEstimate(BaseModel):
    """Predicted peak GPU memory of one training process (what nvidia-smi shows at the worst moment)."""

    model_config = _FROZEN

    estimated_gib: float
    """Predicted peak: PyTorch's peak reserved memory plus the CUDA context, per GPU."""
    budget_gib: float | None
    """The per-GPU budget the profile was fitted to, if one was given."""
    fits: bool | None
    """Whether estimated_gib plus the safety margin is within budget_gib (null without a budget)."""
    safety_margin_gib: float
    breakdown: dict[str, float]
    """GiB per component; they sum to estimated_gib."""
    framework: Framework
    model: str
    """Catalog name of the architecture the estimate is for."""
    method: str
    """How the figure was obtained (which calibration)."""


class Span(BaseModel):
    """A range with its most likely value."""

    model_config = _FROZEN

    low: float
    expected: float
    high: float


class Schedule(BaseModel):
    """Steps, tokens and wall time of the run (exact arithmetic, plus a calibrated time estimate)."""

    model_config = _FROZEN

    train_examples: int
    """Training sequences: examples (text rows longer than max_seq_length count once per piece)."""
    eval_examples: int
    packed_sequences: int | None = None
    """With packing and --dataset: the sequences of max_seq_length tokens the training examples fill."""
    steps_per_epoch: int
    """Optimizer steps per epoch, counted as the Hugging Face Trainer counts them."""
    total_steps: int
    warmup_steps: int
    evaluations: int
    """Evaluations over the run (each followed by a checkpoint save)."""
    saves: int
    tokens: int
    """Training tokens processed over all epochs, padding included: every example at max_seq_length without
    --dataset; with it, micro-batches padded to their longest measured example, or full packed sequences."""
    gpu: str
    """The card the time is estimated for."""
    tokens_per_second: Span
    estimated_hours: Span
    """Wall time of training plus evaluation."""
    assumptions: list[str]


class SuggestResult(BaseModel):
    """The document ``ftguide suggest --format json`` prints."""

    model_config = _FROZEN

    schema_version: str = SCHEMA_VERSION
    inputs: Request
    profile: Profile
    memory: MemoryEstimate
    schedule: Schedule
    decisions: list[Decision]
    warnings: list[Finding]


class CheckFile(BaseModel):
    """One file of a ``check`` call with several files."""

    model_config = _FROZEN

    file: str
    kind: str
    """``profile``, ``axolotl``, ``python``, or ``unknown`` (a file ftguide cannot judge; see ``reason``)."""
    model: str | None
    findings: list[Finding]
    memory: MemoryEstimate | None
    reason: str | None = None
    """Why an ``unknown`` file was not checked."""


class CheckSummary(BaseModel):
    """Counts over the files of one ``check`` call."""

    model_config = _FROZEN

    files: int
    checked: int
    not_checked: int
    """Files ftguide cannot judge (a LLaMA-Factory YAML, a script whose values come from the command line)."""
    partly_checked: int
    """Checked files where some check was skipped (each has a CK001 finding saying which and why)."""
    with_errors: int
    errors: int
    warnings: int
    infos: int


class CheckDocument(BaseModel):
    """The document ``ftguide check --format json`` prints (after ``schema_version`` and ``command``).

    One FILE: ``file``, ``kind``, ``model``, ``findings``, ``memory`` and ``exit_code``. Several FILEs:
    ``files`` (one entry per file, in that shape), ``summary`` and one ``exit_code``.
    """

    model_config = _FROZEN

    file: str | None = None
    kind: str | None = None
    """What the file was read as: ``profile``, ``axolotl`` or ``python``."""
    model: str | None = None
    """Catalog name of the architecture the file was judged for, if one was found."""
    findings: list[Finding] | None = None
    memory: MemoryEstimate | None = None
    files: list[CheckFile] | None = None
    """Several FILEs: each file's result."""
    summary: CheckSummary | None = None
    """Several FILEs: the counts over all of them."""
    exit_code: int
    """What ``check`` exits with (0 clean, 1 a finding at or above ``--fail-on``, 2 no file could be checked)."""
