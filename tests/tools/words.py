"""The fixed vocabulary shared by the tiny test tokenizer and the tiny test datasets (stdlib only).

``make_tiny_model.py`` builds a WordLevel tokenizer whose vocabulary is exactly ``VOCAB`` (special tokens
first, so their ids are stable: <unk>=0, <pad>=1, <s>=2, </s>=3), and ``make_datasets.py`` writes only
words from ``WORDS``, so nothing in the test data maps to ``<unk>``.

The tokenizer pre-splits text like ``tokenizers.pre_tokenizers.Whitespace`` (regex ``\\w+|[^\\w\\s]+``):
keep punctuation separated by spaces ("?" and "." are words, "?." would be unknown). ``unknown_words``
applies the same split, so tests can check any string against the vocabulary.
"""

from __future__ import annotations

import re

UNK, PAD, BOS, EOS = "<unk>", "<pad>", "<s>", "</s>"
SPECIAL_TOKENS: list[str] = [UNK, PAD, BOS, EOS]

_NUMBERS = [str(i) for i in range(41)]  # sums up to 40 fit

_PUNCT = ["?", ".", ",", ":", "!", "###"]

# Role names: the chat template writes "user :", "assistant :", "system :"; ShareGPT uses human / gpt.
_ROLES = ["system", "user", "assistant", "human", "gpt"]

_WORDS_TEXT = [
    "What",
    "is",
    "plus",
    "minus",
    "times",
    "the",
    "answer",
    "The",
    "Answer",
    "Add",
    "Subtract",
    "Multiply",
    "numbers",
    "number",
    "two",
    "and",
    "of",
    "to",
    "a",
    "an",
    "Write",
    "short",
    "sentence",
    "about",
    "Describe",
    "Name",
    "colour",
    "color",
    "word",
    "Give",
    "me",
    "one",
    "say",
    "Say",
    "Please",
    "hello",
    "Hello",
    "hi",
    "Hi",
    "yes",
    "no",
    "Yes",
    "No",
    "It",
    "it",
    "This",
    "this",
    "That",
    "that",
    "You",
    "you",
    "I",
    "We",
    "we",
    "They",
    "they",
    "are",
    "am",
    "be",
    "was",
    "is",
    "not",
    "very",
    "cat",
    "dog",
    "bird",
    "fish",
    "cow",
    "sun",
    "moon",
    "star",
    "tree",
    "river",
    "sea",
    "sky",
    "rain",
    "snow",
    "wind",
    "stone",
    "house",
    "road",
    "red",
    "blue",
    "green",
    "yellow",
    "black",
    "white",
    "small",
    "big",
    "happy",
    "sad",
    "warm",
    "cold",
    "fast",
    "slow",
    "old",
    "new",
    "good",
    "bad",
    "runs",
    "sits",
    "sleeps",
    "flies",
    "swims",
    "shines",
    "falls",
    "grows",
    "likes",
    "sees",
    "has",
    "on",
    "in",
    "under",
    "over",
    "near",
    "by",
    "with",
    "Below",
    "instruction",
    "Instruction",
    "input",
    "Input",
    "response",
    "Response",
    "task",
    "Task",
    "that",
    "describes",
    "paired",
    "provides",
    "further",
    "context",
    "appropriately",
    "completes",
    "request",
    "Complete",
    "sum",
    "Sum",
    "result",
    "Result",
    "helpful",
    "Helpful",
    "reply",
    "Reply",
    "question",
    "Question",
    "count",
    "Count",
    "first",
    "second",
    "next",
    "then",
    "Thank",
    "thank",
    "thanks",
    "from",
    "Be",
    "be",
    "for",
    "me",
    "my",
    "your",
    "its",
    "all",
    "some",
    "more",
    "less",
    "than",
]

WORDS: list[str] = list(dict.fromkeys(_NUMBERS + _PUNCT + _ROLES + _WORDS_TEXT))

#: Token list of the tiny tokenizer: specials first, then the words (ids follow this order).
VOCAB: list[str] = SPECIAL_TOKENS + WORDS

_SPLIT = re.compile(r"\w+|[^\w\s]+")


def split_words(text: str) -> list[str]:
    """Split like the tokenizer's Whitespace pre-tokenizer, keeping special tokens whole."""
    out: list[str] = []
    for chunk in re.split(r"(<unk>|<pad>|<s>|</s>)", text):
        if chunk in SPECIAL_TOKENS:
            out.append(chunk)
        elif chunk:
            out.extend(_SPLIT.findall(chunk))
    return out


def unknown_words(text: str) -> list[str]:
    """Words of ``text`` that the tiny tokenizer would map to <unk> (sorted, unique)."""
    known = set(VOCAB)
    return sorted({w for w in split_words(text) if w not in known})


if __name__ == "__main__":
    print(len(VOCAB), "tokens:", " ".join(VOCAB))
