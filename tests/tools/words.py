"""The fixed word list shared by the tiny test tokenizer and the tiny test datasets (stdlib only).

``make_tiny_model.py`` trains its byte-level BPE on ``WORDS`` (each word, bare and after a space, becomes
one token; digits stay single-digit tokens) and puts ``SPECIAL_TOKENS`` first, so their ids are stable:
<unk>=0, <pad>=1, <s>=2, </s>=3. ``make_datasets.py`` writes only words from ``WORDS``, so the test data
tokenizes into whole-word tokens.

Keep punctuation separated by spaces in test text ("?" and "." are words; "?." is not in the list).
``unknown_words`` splits text with the regex ``\\w+|[^\\w\\s]+`` and reports words outside the list (a
byte-level BPE never produces <unk>, but such words split into several byte tokens).
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

#: Special tokens followed by the words (the words' token ids are whatever BPE training assigns).
VOCAB: list[str] = SPECIAL_TOKENS + WORDS

_SPLIT = re.compile(r"\w+|[^\w\s]+")


def split_words(text: str) -> list[str]:
    """Split into words and punctuation runs (regex ``\\w+|[^\\w\\s]+``), keeping special tokens whole."""
    out: list[str] = []
    for chunk in re.split(r"(<unk>|<pad>|<s>|</s>)", text):
        if chunk in SPECIAL_TOKENS:
            out.append(chunk)
        elif chunk:
            out.extend(_SPLIT.findall(chunk))
    return out


def unknown_words(text: str) -> list[str]:
    """Words of ``text`` that are not in the shared word list (sorted, unique)."""
    known = set(VOCAB)
    return sorted({w for w in split_words(text) if w not in known})


if __name__ == "__main__":
    print(len(WORDS), "words:", " ".join(WORDS))
