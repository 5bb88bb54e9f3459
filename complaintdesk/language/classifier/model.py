"""The trained text classifier: jieba words + character n-grams, NB-SVM, temperature-calibrated.

Features are sublinear TF-IDF over jieba words (precise mode, HMM off for speed) and character
1–2-grams (1–3 is a parameter; it costs half the prediction speed for no measurable gain), over
script-folded text (Traditional → Simplified, full-width → half-width). ``words=False`` gives the
char-only model, three times faster at prediction. The classifier is NB-SVM (Wang & Manning 2012) one-vs-rest: each class's linear SVM is
trained on features scaled by that class's naive-Bayes log-count ratio, and the two are folded into
one weight matrix, so prediction costs one sparse product. Scores are a softmax of the decision
values with a temperature fitted on out-of-fold predictions (see :func:`cross_validate`), so a
score of 0.8 means roughly “right four times in five”.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC

from ..normalize import fold_script

__all__ = ["CrossValidation", "TextClassifier", "cross_validate", "tokenize"]

_jieba = None


def _segmenter():
    global _jieba
    if _jieba is None:
        import jieba

        jieba.setLogLevel(logging.WARNING)
        jieba.initialize()
        _jieba = jieba
    return _jieba


def tokenize(text: str) -> list[str]:
    """jieba words (precise mode, no HMM) of the script-folded text, blanks dropped."""
    return _cut(fold_script(text))


def _cut(folded: str) -> list[str]:
    return [w for w in _segmenter().lcut(folded, HMM=False) if not w.isspace()]


def _tokens_analyzer(tokens: list[str]) -> list[str]:
    return tokens


class TextClassifier:
    """Fit on texts and labels; predict labels with calibrated scores; explain with n-grams."""

    def __init__(
        self, *, words: bool = True, char_ngrams: tuple[int, int] = (1, 2), c: float = 0.25, min_df: int = 2
    ) -> None:
        self.words = words
        self.char_ngrams = char_ngrams
        self.c = c
        self.min_df = min_df
        self.temperature = 1.0
        self.labels: list[str] = []
        self.weights: np.ndarray | None = None
        self.bias: np.ndarray | None = None
        self._char_vec: TfidfVectorizer | None = None
        self._word_vec: TfidfVectorizer | None = None
        self._feature_names: np.ndarray | None = None

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state["_feature_names"] = None
        return state

    # --- features ---
    def _featurize(
        self, texts: Sequence[str], tokens: Sequence[list[str]] | None, fit: bool
    ) -> sparse.csr_matrix:
        folded = [fold_script(t) for t in texts]
        if fit:
            self._char_vec = TfidfVectorizer(
                analyzer="char",
                ngram_range=self.char_ngrams,
                sublinear_tf=True,
                min_df=self.min_df,
                lowercase=False,
                dtype=np.float32,
            )
            blocks = [self._char_vec.fit_transform(folded)]
        else:
            blocks = [self._char_vec.transform(folded)]
        if self.words:
            if tokens is None:
                tokens = [_cut(f) for f in folded]
            if fit:
                self._word_vec = TfidfVectorizer(
                    analyzer=_tokens_analyzer, sublinear_tf=True, min_df=self.min_df, dtype=np.float32
                )
                blocks.append(self._word_vec.fit_transform(tokens))
            else:
                blocks.append(self._word_vec.transform(tokens))
        return sparse.hstack(blocks, format="csr")

    # --- training ---
    def fit(
        self,
        texts: Sequence[str],
        labels: Sequence[str],
        tokens: Sequence[list[str]] | None = None,
    ) -> TextClassifier:
        if len(set(labels)) < 2:
            raise ValueError("training needs at least two different labels")
        matrix = self._featurize(texts, tokens, fit=True)
        y = np.asarray(labels)
        self.labels = sorted(set(labels))
        present = (matrix > 0).astype(np.float32)
        weights = np.zeros((len(self.labels), matrix.shape[1]), dtype=np.float32)
        bias = np.zeros(len(self.labels), dtype=np.float32)
        for k, label in enumerate(self.labels):
            positive = y == label
            p = 1.0 + np.asarray(present[positive].sum(axis=0)).ravel()
            q = 1.0 + np.asarray(present[~positive].sum(axis=0)).ravel()
            ratio = np.log((p / p.sum()) / (q / q.sum())).astype(np.float32)
            svm = LinearSVC(C=self.c).fit(matrix.multiply(ratio).tocsr(), positive.astype(np.int8))
            weights[k] = svm.coef_.ravel() * ratio
            bias[k] = svm.intercept_[0]
        self.weights, self.bias = weights, bias
        return self

    # --- prediction ---
    def decision_function(
        self, texts: Sequence[str], tokens: Sequence[list[str]] | None = None
    ) -> np.ndarray:
        matrix = self._featurize(texts, tokens, fit=False)
        return np.asarray(matrix @ self.weights.T) + self.bias

    def probabilities(self, scores: np.ndarray) -> np.ndarray:
        z = scores / self.temperature
        z = z - z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    def predict(self, texts: Sequence[str]) -> list[tuple[str, float]]:
        if not texts:
            return []
        probs = self.probabilities(self.decision_function(texts))
        best = probs.argmax(axis=1)
        return [(self.labels[i], float(probs[n, i])) for n, i in enumerate(best)]

    def explain(self, text: str, label: str, top: int = 3) -> list[str]:
        """The n-grams of ``text`` that pushed hardest towards ``label``."""
        row = self._featurize([text], None, fit=False)
        k = self.labels.index(label)
        contributions = row.data * self.weights[k, row.indices]
        order = np.argsort(-contributions)[:top]
        names = self._names()
        return [str(names[row.indices[i]]) for i in order if contributions[i] > 0]

    def _names(self) -> np.ndarray:
        if self._feature_names is None:
            parts = [self._char_vec.get_feature_names_out()]
            if self.words:
                parts.append(self._word_vec.get_feature_names_out())
            self._feature_names = np.concatenate(parts)
        return self._feature_names


def fit_temperature(scores: np.ndarray, truth: np.ndarray) -> float:
    """The softmax temperature minimising log-loss of out-of-fold decision values."""
    best_t, best_loss = 1.0, np.inf
    for t in np.geomspace(0.05, 5.0, 60):
        z = scores / t
        z = z - z.max(axis=1, keepdims=True)
        log_probs = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        loss = -log_probs[np.arange(len(truth)), truth].mean()
        if loss < best_loss:
            best_t, best_loss = float(t), loss
    return best_t


@dataclass(frozen=True)
class CrossValidation:
    model: TextClassifier
    accuracy: float
    macro_f1: float
    folds: int
    n_examples: int
    seconds: float

    def metrics(self) -> dict[str, float | int]:
        return {
            "cv_accuracy": round(self.accuracy, 4),
            "cv_macro_f1": round(self.macro_f1, 4),
            "cv_folds": self.folds,
            "n_examples": self.n_examples,
            "train_seconds": round(self.seconds, 1),
        }


def cross_validate(
    texts: Sequence[str], labels: Sequence[str], *, folds: int = 5, seed: int = 0, **params
) -> CrossValidation:
    """Stratified k-fold accuracy and macro-F1, then the final model on all data, calibrated on the
    out-of-fold scores. Tokenisation runs once and is shared by the folds."""
    started = time.perf_counter()
    texts = list(texts)
    y = np.asarray(labels)
    tokens = [tokenize(t) for t in texts] if params.get("words", True) else None
    counts = np.unique(y, return_counts=True)[1]
    if len(counts) < 2 or counts.min() < 2:
        raise ValueError("training needs at least two labels with at least two examples each")
    folds = int(min(folds, counts.min()))
    label_list = sorted(set(labels))
    oof = np.zeros((len(texts), len(label_list)))
    for train, test in StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed).split(texts, y):
        model = TextClassifier(**params).fit(
            [texts[i] for i in train], y[train], None if tokens is None else [tokens[i] for i in train]
        )
        scores = model.decision_function(
            [texts[i] for i in test], None if tokens is None else [tokens[i] for i in test]
        )
        for k, label in enumerate(model.labels):
            oof[test, label_list.index(label)] = scores[:, k]
    truth = np.array([label_list.index(label) for label in y])
    predicted = np.asarray(label_list)[oof.argmax(axis=1)]
    final = TextClassifier(**params).fit(texts, y, tokens)
    final.temperature = fit_temperature(oof, truth)
    return CrossValidation(
        model=final,
        accuracy=float(accuracy_score(y, predicted)),
        macro_f1=float(f1_score(y, predicted, average="macro")),
        folds=folds,
        n_examples=len(texts),
        seconds=time.perf_counter() - started,
    )
