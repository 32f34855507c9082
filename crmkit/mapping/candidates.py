"""Every property one column may fill, weighed by its header's words and its sampled values.

The order of evidence: the whole header (exact name, label, synonym); the header taken apart
(:mod:`crmkit.mapping.headerwords`), with a label column's verdict when there is one
(:mod:`crmkit.mapping.typelabels`); a careful fuzzy match; what the values look like. The
qualifier then weighs the candidate (home and shipping details rank after business, billing and
mailing ones; other and second ones are not imported automatically), and values that contradict
a property take it off the list (:mod:`crmkit.mapping.valuesniff`). Each candidate and each
refusal carries a reason a person can check in the review screen.
"""

from __future__ import annotations

from collections.abc import Sequence

from crmkit.mapping.headerwords import HeaderWords
from crmkit.mapping.matcher import Candidate, Matcher
from crmkit.mapping.model import ColumnMatch
from crmkit.mapping.normalize import normalize_header
from crmkit.mapping.synonyms import FALLBACK, HEADER_FALLBACK, kind_of_unimported, role_lookup
from crmkit.mapping.typelabels import LabelHint
from crmkit.mapping.valuesniff import contradiction, looks_like

# Headers naming a whole address: a street column beside them is the better fit.
_WHOLE_ADDRESS = frozenset({"address", "full address", "mailing address", "billing address"})
_WHOLE_ADDRESS_WEIGHT = 0.9
_UNIMPORTED = 0.9


def _final(column: str, reason: str, role: str | None = None) -> ColumnMatch:
    return ColumnMatch(column, None, _UNIMPORTED, reason, role)


def _parsed(
    m: Matcher, words: HeaderWords, hint: LabelHint | None
) -> tuple[Candidate | None, bool]:
    """The first of the header's texts that names a property, and whether it is a second one."""
    tries = list(words.tries)
    if hint is not None and hint.lookup:
        tries.insert(0, (hint.lookup, False))
    for text, second in tries:
        hit = m.lookup(text)
        if hit is not None:
            return hit, second and hint is None
    return None, False


def _weigh(
    cand: Candidate, column: str, words: HeaderWords, hint: LabelHint | None, second: bool
) -> Candidate | ColumnMatch:
    """The candidate weighed by qualifier, label and specificity, or the reason it is refused."""
    labelled = hint.describe() if hint is not None else ""
    kind = hint.qualifier if hint is not None else words.qualifier
    weight = hint.weight if hint is not None else words.weight
    if hint is not None and hint.lookup == "":
        return _final(column, f"{labelled}: no property takes it")
    if weight is None:
        what = f"{kind} {cand.prop}" if kind else cand.prop
        said = f" ({labelled})" if labelled else ""
        return _final(
            column,
            f"{what}{said}: only the primary one is imported automatically; "
            "map it in a mapping file if wanted",
        )
    if second:
        return _final(
            column,
            f"a second {words.group or cand.prop} (number {words.index}): only the first is "
            "imported automatically; map it in a mapping file if wanted",
        )
    conf = cand.confidence * weight
    if cand.prop == "address" and cand.text in _WHOLE_ADDRESS:
        conf *= _WHOLE_ADDRESS_WEIGHT
    if hint is not None and words.index:
        conf -= 0.01 * words.index
    ranked = f"{kind} ranks after business/billing/mailing" if kind and weight < 1 else ""
    notes = [n for n in (labelled, ranked or kind or "", words.describe()) if n]
    reason = cand.reason + (f" ({'; '.join(dict.fromkeys(notes))})" if notes else "")
    return Candidate(cand.prop, round(conf, 3), reason, cand.text, kind)


def column_candidates(
    m: Matcher,
    column: str,
    words: HeaderWords,
    samples: Sequence[str],
    hint: LabelHint | None = None,
) -> tuple[list[Candidate], ColumnMatch | None, str]:
    """Candidates for one column, or a final decision; and a note for a column left unmatched."""
    exact = m.exact(column)
    if exact is not None and exact.prop in ("hubspot_owner_id", "hubspot_team_id"):
        exact = None  # an owner column holds emails or names: crmkit.sources.owners resolves it
    if exact is None:
        skip = kind_of_unimported(m.object_type, column)
        if skip is None and words.text != normalize_header(column):
            skip = kind_of_unimported(m.object_type, words.text)
        if skip is not None:
            return [], _final(column, skip[0], skip[1]), ""
        ro = m.read_only_hit(column)
        if ro is not None:
            why = "calculated" if ro.calculated else "read-only"
            return [], _final(column, f"{why} property {ro.label!r} ({ro.name}): not imported"), ""
    if words.split_date:
        return [], _final(column, "one part of a split date (day, month or year): not imported"), ""
    if words.label_of is not None:
        group, index = words.label_of
        return [], _final(column, f"label of {group} {index}: read to decide its value column"), ""
    second = False
    if exact is None or hint is not None:
        parsed, second = _parsed(m, words, hint)
        exact = parsed or exact
    note = ""
    cands = [exact] if exact else []
    if not cands and words.text not in role_lookup(m.object_type):
        # a known linking header ("Name", "Requester") is not fuzzed
        cands, nearest = m.fuzzy(words.text)
        note = nearest or ""
    weighed: list[Candidate] = []
    for c in cands:
        w = _weigh(c, column, words, hint, second)
        if isinstance(w, ColumnMatch):
            return [], w, ""
        weighed.append(w)
    sniffed = looks_like(samples)
    if sniffed and sniffed in m.targets and all(c.prop != sniffed for c in weighed):
        weighed.append(Candidate(sniffed, 0.7 if not weighed else 0.6, "values look like emails"))
    refused: list[str] = []
    for c in list(weighed):
        veto = contradiction(m.targets[c.prop], samples, c.text or words.text)
        if veto:
            weighed.remove(c)
            refused.append(f"{veto}: not mapped to {c.prop}")
    if refused and not weighed:
        return [], ColumnMatch(column, None, 0.0, "; ".join(refused)), ""
    return _fallbacks(m, weighed, words), None, note


def _fallbacks(m: Matcher, cands: list[Candidate], words: HeaderWords) -> list[Candidate]:
    """A second column wanting a taken property may take a sibling one ("Title" → salutation)."""
    out = list(cands)
    for c in cands:
        if words.qualifier and words.weight != 1.0:
            break
        for alt in FALLBACK.get((m.object_type, c.prop), ()):
            if alt in m.targets and all(x.prop != alt for x in out):
                out.append(
                    Candidate(alt, round(c.confidence * 0.8, 3), f"{c.reason}; {c.prop} taken")
                )
    extra = HEADER_FALLBACK.get((m.object_type, words.text))
    if extra and extra[0] in m.targets and all(x.prop != extra[0] for x in out):
        out.append(Candidate(extra[0], 0.6, extra[1]))
    return out
