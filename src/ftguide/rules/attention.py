"""Attention per model family: render what the family's class accepts on the pinned transformers."""

from __future__ import annotations

from collections.abc import Iterator

from ftguide.catalog.families import Family, UnknownFamily, family_of
from ftguide.rules import Context, Fix, rule


def _family(ctx: Context) -> Family | None:
    if ctx.arch is None:
        return None
    try:
        return family_of(ctx.arch.model_type)
    except UnknownFamily:
        return None


@rule("AT001", "attention-by-family", order=165, kind="default", fields=("attn_implementation",))
def attention_by_family(ctx: Context) -> Iterator[Fix]:
    """Attention is PyTorch's SDPA where the model family accepts it, and eager attention where it does not.

    Why:
    SDPA is memory-efficient and needs no extra package, but some classes refuse it on the pinned
    transformers (Gemma-2 and gpt-oss raise at load time); for them the file must ask for eager attention,
    which keeps every layer's score matrices and so costs memory that grows with the square of the sequence
    (the memory model prices it). FlashAttention 2 is never chosen by default: it needs a package and a card
    the file cannot check.

    Example:
    llama-3.1-8b -> sdpa; gemma-2-9b -> eager (Gemma2ForCausalLM refuses SDPA).
    """
    family = _family(ctx)
    if family is None:
        yield Fix("attn_implementation", "sdpa", "PyTorch SDPA attention: memory-efficient, no extra package")
    elif family.default_attn == "sdpa":
        yield Fix("attn_implementation", "sdpa", f"{family.architecture} accepts PyTorch SDPA attention")
    else:
        yield Fix(
            "attn_implementation",
            family.default_attn,
            f"{family.architecture} refuses SDPA on the pinned transformers: eager attention",
        )


@rule(
    "AT002", "attention-refused-by-family", order=166, kind="check", fields=("attn_implementation",), severity="error"
)
def attention_refused(ctx: Context) -> Iterator[Fix]:
    """An attention implementation the model family's class refuses: the file crashes when the model loads.

    Why:
    transformers checks the requested implementation against the class when the model is built; Gemma-2 and
    gpt-oss refuse SDPA, and classes without a FlashAttention path refuse flash_attention_2, so the run dies
    before the first step.

    Example:
    gemma-2-9b with attn_implementation sdpa -> eager.
    """
    family = _family(ctx)
    chosen = ctx.get("attn_implementation")
    if family is not None and chosen is not None and not family.accepts(chosen):
        yield Fix(
            "attn_implementation",
            family.default_attn,
            f"{family.architecture} refuses {chosen} (accepts {', '.join(family.attn_implementations)})",
        )
