"""Company matching: which planned company a contact (or a ticket) belongs to.

Rules, in order: the email's domain equals a company's domain (free-mail domains never count;
``mail.acme.com`` finds ``acme.com``), then the normalised company name equals a company's,
then a fuzzy match on normalised names that is strong (score >= ``accept``) and clearly ahead of
the runner-up (by ``margin``). Anything less certain is *reported* with its candidates, never
guessed: ``AMBIGUOUS_COMPANY`` (several equally good companies) or ``WEAK_COMPANY_MATCH`` (one
close but not close enough). Each rule runs once per distinct domain or name, so a million
contacts cost about as much as their distinct values.
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
        norm = normalize_company_name(name) if name else ""
        cached = self._name_cache.get(norm)
        if cached is not None:
            return cached
        result = self._match_norm(norm)
        self._name_cache[norm] = result
        return result

    def _match_norm(self, norm: str) -> CompanyMatch:
        if not norm:
            return _NO_MATCH
        exact = self.by_name.get(norm)
        if exact:
            return _one_or_ambiguous(exact, "name", None)
        if not self._names:
            return CompanyMatch(NOT_FOUND)
        policy = self.policy
        found = process.extract(
            norm, self._names, scorer=fuzz.token_sort_ratio, limit=3, score_cutoff=policy.weak
        )
        if not found:
            return CompanyMatch(NOT_FOUND)
        best_name, best, _ = found[0]
        best_keys = tuple(self.by_name[best_name])
        score = round(float(best), 1)
        if best < policy.accept:
            return CompanyMatch(WEAK, candidates=best_keys, score=score)
        close = [n for n, s, _ in found[1:] if s > best - policy.margin]
        if close or len(best_keys) > 1:
            others = tuple(k for n in close for k in self.by_name[n])
            return CompanyMatch(AMBIGUOUS, candidates=best_keys + others, score=score)
        return CompanyMatch(MATCHED, key=best_keys[0], reason="fuzzy_name", score=score)


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
        name_match = {n: index.match_name(n) for n in todo.unique()}
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
