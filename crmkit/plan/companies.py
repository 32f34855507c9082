"""Company matching: which planned company a contact (or a ticket) belongs to.

Rules, in order: the email's domain equals a company's domain (free-mail domains never count;
``mail.acme.com`` finds ``acme.com``), then the normalised company name equals a company's,
then a fuzzy match on normalised names (word order ignored) that is strong (score >=
``accept``) and clearly ahead of the runner-up (by ``margin``). Anything less certain is
*reported* with its candidates, never guessed: ``AMBIGUOUS_COMPANY`` (several equally good
companies) or ``WEAK_COMPANY_MATCH`` (one close but not close enough). Each rule runs once per
distinct domain or name, so a million contacts cost about as much as their distinct values.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from crmkit.plan.normalize import is_free_mail, normalize_company_name, parent_domains

MATCHED, AMBIGUOUS, WEAK, NOT_FOUND, NONE = "matched", "ambiguous", "weak", "not_found", "none"


@dataclass(frozen=True, slots=True)
class MatchPolicy:
    """Thresholds of the fuzzy name rule (rapidfuzz ``token_sort_ratio`` on normal forms, 0-100).

    ``accept``: a best score at least this high may link; ``weak``: scores from here up to
    ``accept`` are reported as weak matches; ``margin``: the best must beat the runner-up by this
    much, else the match is ambiguous.
    """

    accept: float = 90.0
    weak: float = 80.0
    margin: float = 5.0


@dataclass(frozen=True, slots=True)
class CompanyMatch:
    """The outcome of one rule for one domain or name."""

    status: str  # matched | ambiguous | weak | not_found | none
    key: str | None = None
    reason: str = ""
    candidates: tuple[str, ...] = ()
    score: float | None = None


_NO_MATCH = CompanyMatch(NONE)


@dataclass
class CompanyIndex:
    """Planned companies indexed by normalised domain and by normalised name."""

    by_domain: dict[str, list[str]] = field(default_factory=dict)
    by_name: dict[str, list[str]] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)  # key -> display name for messages
    policy: MatchPolicy = field(default_factory=MatchPolicy)
    _names: list[str] = field(default_factory=list)
    _sorted_names: list[str] = field(default_factory=list)
    _domain_cache: dict[str, CompanyMatch] = field(default_factory=dict)
    _name_cache: dict[str, CompanyMatch] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        keys: Iterable[str],
        domains: Iterable[str],
        names: Iterable[str],
        policy: MatchPolicy | None = None,
    ) -> CompanyIndex:
        """Index companies given their keys, normalised domains ("" = none) and raw names."""
        index = cls(policy=policy or MatchPolicy())
        for key, domain, name in zip(keys, domains, names, strict=True):
            if domain and not is_free_mail(domain):
                index.by_domain.setdefault(domain, []).append(key)
            norm = normalize_company_name(name) if name else ""
            if norm:
                index.by_name.setdefault(norm, []).append(key)
            index.labels[key] = name or domain or key
        index._names = list(index.by_name)
        return index

    def __len__(self) -> int:
        return len(self.labels)

    def describe(self, keys: Iterable[str]) -> str:
        """``"Acme Inc" [company:domain:acme.com], ...`` for messages naming candidates."""
        return ", ".join(f'"{self.labels.get(k, k)}" [{k}]' for k in keys)

    def match_domain(self, domain: str) -> CompanyMatch:
        """The company whose domain is this one or a parent of it; free-mail never matches."""
        cached = self._domain_cache.get(domain)
        if cached is not None:
            return cached
        result = _NO_MATCH
        if domain and not is_free_mail(domain):
            for candidate in parent_domains(domain):
                keys = self.by_domain.get(candidate)
                if keys:
                    result = _one_or_ambiguous(keys, "domain", None)
                    break
        self._domain_cache[domain] = result
        return result

    def match_name(self, name: str) -> CompanyMatch:
        """Exact normalised name, else a fuzzy match that is strong and unambiguous."""
        return self.match_names([name])[name]

    def match_names(self, names: Iterable[str]) -> dict[str, CompanyMatch]:
        """:meth:`match_name` for many names at once: one fuzzy pass for all inexact ones."""
        result: dict[str, CompanyMatch] = {}
        pending: dict[str, list[str]] = {}  # normal form -> raw names needing the fuzzy rule
        for raw in names:
            norm = normalize_company_name(raw) if raw else ""
            cached = self._name_cache.get(norm)
            if cached is None and (not norm or norm in self.by_name or not self._names):
                exact = self.by_name.get(norm) if norm else None
                if exact:
                    cached = _one_or_ambiguous(exact, "name", None)
                else:
                    cached = CompanyMatch(NOT_FOUND) if norm else _NO_MATCH
                self._name_cache[norm] = cached
            if cached is not None:
                result[raw] = cached
            else:
                pending.setdefault(norm, []).append(raw)
        for norm, match in self._fuzzy(list(pending)).items():
            self._name_cache[norm] = match
            result.update(dict.fromkeys(pending[norm], match))
        return result

    def _fuzzy(self, norms: list[str]) -> dict[str, CompanyMatch]:
        """Score names against all company names (token-sorted, Indel ratio) in chunks.

        ``rapidfuzz.process.cdist`` scores a whole chunk in native code on all cores, far faster
        than one ``extract`` call per name; scores under ``policy.weak`` come back as 0.
        """
        out: dict[str, CompanyMatch] = {}
        if not norms:
            return out
        if not self._sorted_names:
            self._sorted_names = [_token_sorted(n) for n in self._names]
        top = min(3, len(self._names))
        for start in range(0, len(norms), _FUZZY_CHUNK):
            chunk = norms[start : start + _FUZZY_CHUNK]
            scores = process.cdist(
                [_token_sorted(n) for n in chunk],
                self._sorted_names,
                scorer=fuzz.ratio,
                score_cutoff=self.policy.weak,
                dtype=np.float32,
                workers=-1,
            )
            if top < len(self._names):
                best = np.argpartition(-scores, top - 1, axis=1)[:, :top]
            else:
                best = np.tile(np.arange(len(self._names)), (len(chunk), 1))
            for i, norm in enumerate(chunk):
                picks = sorted(best[i].tolist(), key=lambda j: -scores[i, j])
                found = [(self._names[j], float(scores[i, j])) for j in picks if scores[i, j] > 0]
                out[norm] = self._decide(found)
        return out

    def _decide(self, found: list[tuple[str, float]]) -> CompanyMatch:
        """Accept the best fuzzy candidate only if strong and clearly ahead of the next one."""
        if not found:
            return CompanyMatch(NOT_FOUND)
        policy = self.policy
        best_name, best = found[0]
        best_keys = tuple(self.by_name[best_name])
        score = round(best, 1)
        if best < policy.accept:
            return CompanyMatch(WEAK, candidates=best_keys, score=score)
        close = [name for name, other in found[1:] if other > best - policy.margin]
        if close or len(best_keys) > 1:
            others = tuple(k for name in close for k in self.by_name[name])
            return CompanyMatch(AMBIGUOUS, candidates=best_keys + others, score=score)
        return CompanyMatch(MATCHED, key=best_keys[0], reason="fuzzy_name", score=score)


_FUZZY_CHUNK = 512  # names per cdist call: bounds the score matrix (512 x companies floats)


def _token_sorted(name: str) -> str:
    return " ".join(sorted(name.split()))


def _one_or_ambiguous(keys: list[str], reason: str, score: float | None) -> CompanyMatch:
    if len(keys) == 1:
        return CompanyMatch(MATCHED, key=keys[0], reason=reason, score=score)
    return CompanyMatch(AMBIGUOUS, candidates=tuple(keys), score=score)


@dataclass
class Resolution:
    """Per-row outcome of company matching, aligned with the input's index.

    ``key``/``reason``/``score`` hold the linked company (``None`` when unlinked); ``problems``
    maps the label of each unlinked row that deserves review to the match that explains why.
    """

    key: pd.Series
    reason: pd.Series
    score: pd.Series
    problems: dict[object, CompanyMatch]


def resolve_companies(
    index: CompanyIndex, domains: pd.Series, names: pd.Series | None = None
) -> Resolution:
    """Apply the domain rule, then the name rules to the rows the domain left unlinked.

    ``domains`` holds normalised email domains ("" = none); ``names`` raw company names.
    """
    dom_match = {d: index.match_domain(d) for d in domains.unique()}
    key = domains.map({d: m.key for d, m in dom_match.items() if m.status == MATCHED})
    key = key.astype(object).where(key.notna(), None)
    reason = pd.Series(np.where(key.notna(), "domain", ""), index=domains.index, dtype=object)
    score = pd.Series(None, index=domains.index, dtype=object)
    name_of: dict[object, CompanyMatch] = {}
    if names is not None and len(index):
        todo = names[key.isna() & (names != "")]
        name_match = index.match_names(todo.unique().tolist())
        linked = {n: m for n, m in name_match.items() if m.status == MATCHED}
        if linked:
            hit = todo[todo.isin(linked.keys())]
            key.loc[hit.index] = hit.map({n: m.key for n, m in linked.items()}).astype(object)
            reason.loc[hit.index] = hit.map({n: m.reason for n, m in linked.items()}).astype(object)
            score.loc[hit.index] = hit.map({n: m.score for n, m in linked.items()}).astype(object)
        review = todo[todo.isin([n for n, m in name_match.items() if m.status != MATCHED])]
        name_of = {label: name_match[n] for label, n in review.items()}
    problems: dict[object, CompanyMatch] = {}
    ambiguous_domains = {d for d, m in dom_match.items() if m.status == AMBIGUOUS}
    if ambiguous_domains:
        unlinked = domains[key.isna() & domains.isin(ambiguous_domains)]
        problems.update({label: dom_match[d] for label, d in unlinked.items()})
    for label, match in name_of.items():
        problems.setdefault(label, match)
    return Resolution(key=key, reason=reason, score=score, problems=problems)
