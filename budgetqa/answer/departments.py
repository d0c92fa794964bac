"""Bind the departments a question names to stored documents: an alias index, never a scan.

Every substring of the question is looked up in the store's alias table (an indexed
lookup). The longest matches win; a short name is accepted only where nothing before it
makes it part of another name, and a region written before a short name must be the
document's own (市财政局 is not 区财政局). An organisation the question names that binds
to no document is reported with up to five near names, so the answer can refuse instead
of substituting another department.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from budgetqa.vocab import load

AliasLookup = Callable[[list[str]], dict[str, list[str]]]
"""Given candidate strings, which are aliases and of which documents (``Store.match_aliases``)."""

MAX_NAME = 30


@dataclass(slots=True)
class DepartmentMention:
    """A department the question names: where, as which alias, bound to which documents."""

    text: str
    start: int
    end: int
    doc_ids: list[str] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    """Identity keys of the departments the name binds to: one (bound), several (ambiguous) or none."""
    near: list[str] = field(default_factory=list)
    """For an unbound name: the stored departments it is closest to."""
    why: str = ""
    """Provenance: how the name was bound, or why it was not."""
    run_together: bool = False
    """Written right against another department's name ("某某街道福利院"): which one is meant is asked back."""


@dataclass(slots=True)
class DepartmentBinding:
    """What the question says about departments."""

    mentions: list[DepartmentMention] = field(default_factory=list)

    @property
    def bound(self) -> list[DepartmentMention]:
        return [m for m in self.mentions if len(m.keys) == 1]

    @property
    def ambiguous(self) -> list[DepartmentMention]:
        return [m for m in self.mentions if len(m.keys) > 1]

    @property
    def unbound(self) -> list[DepartmentMention]:
        return [m for m in self.mentions if not m.keys]

    @property
    def keys(self) -> set[str]:
        """The departments the question names (bound mentions only)."""
        return {k for m in self.bound for k in m.keys}

    @property
    def doc_ids(self) -> set[str]:
        return {d for m in self.mentions if m.keys for d in m.doc_ids}

    def spans(self) -> list[tuple[int, int]]:
        return [(m.start, m.end) for m in self.mentions if m.keys]


@dataclass(frozen=True, slots=True)
class _QuestionVocab:
    """The question-side identity vocabulary (vocab/identity.toml [question]), compiled once."""

    org: re.Pattern[str]
    """An organisation's name ending in one of its suffixes, followed by what may follow it."""
    org_end: re.Pattern[str]
    """Text ending with an organisation's suffix (局, 政协, 法院 …)."""
    lead: re.Pattern[str]
    boundary: frozenset[str]
    level_boundary: frozenset[str]


@lru_cache
def _question_vocab() -> _QuestionVocab:
    vocab = load("identity")["question"]
    return _QuestionVocab(
        org=re.compile(rf"((?:[\u4e00-\u9fa5（）]{{1,16}}?)(?:{vocab['org_suffixes']}))(?={vocab['org_follow']})"),
        org_end=re.compile(rf"(?:{vocab['org_suffixes']})$"),
        lead=re.compile(rf"^(?:{vocab['lead_words']}|[\d年度的是和与及、])+"),
        boundary=frozenset(vocab["boundary_chars"]),
        level_boundary=frozenset(vocab["level_boundary_chars"]),
    )


def boundary_chars() -> frozenset[str]:
    """Characters that may stand right before a name without being part of it (vocab/identity.toml)."""
    return _question_vocab().boundary


def bind_departments(
    text: str,
    lookup: AliasLookup,
    key_of: Callable[[str], str],
    department_names: Callable[[], list[str]],
) -> DepartmentBinding:
    """The departments ``text`` (a compacted question) names, bound through the alias index.

    ``key_of`` gives a document's identity key; ``department_names`` lists stored names for
    the near-name suggestions of an unbound name (called only when one is needed).
    """
    candidates = [text[i:j] for i in range(len(text)) for j in range(i + 2, min(len(text), i + MAX_NAME) + 1)]
    hits = lookup(candidates)
    found = sorted(
        ((i, i + len(alias), alias) for alias in hits for i in _positions(text, alias)),
        key=lambda h: (h[0] - h[1], h[0]),
    )
    taken = [False] * len(text)
    mentions: list[DepartmentMention] = []
    boundary = _question_vocab().boundary
    after: list[tuple[int, int, str]] = []
    for start, end, alias in found:
        if not any(taken[start:end]) and start > 0 and taken[start - 1]:
            after.append((start, end, alias))
        if any(taken[start:end]) or (start > 0 and taken[start - 1]):
            continue  # right after a department's name, a name is an item of it ("某办公厅" + "某某会议")
        conflict = _region_conflict(text, start)
        if conflict is None:
            conflict = _name_runs_on(text, start, boundary, alias)
        if conflict is not None and _after_another(text[conflict:start], hits, key_of, alias):
            conflict = None  # "某街道福利院某某局": the words before are another loaded department's name
        if conflict is not None:
            mentions.append(DepartmentMention(text[conflict:end], conflict, end, why="名称前的地区或字样与已载入的部门不符"))
            for i in range(conflict, end):
                taken[i] = True
            continue
        doc_ids = sorted(hits[alias])
        keys = sorted({key_of(d) for d in doc_ids})
        why = f"“{alias}”是已载入部门的名称或简称" + ("" if len(keys) == 1 else f"（对应 {len(keys)} 个部门）")
        mentions.append(DepartmentMention(alias, start, end, doc_ids, keys, why=why))
        for i in range(start, end):
            taken[i] = True
    mentions += _written_after(after, mentions, hits, key_of)
    mentions += [_run_together(m, mentions, hits, key_of) for m in _unknown_organisations(text, mentions)]
    for mention in mentions:
        if not mention.keys:
            mention.near = near_names(mention.text, department_names())
    mentions.sort(key=lambda m: m.start)
    return DepartmentBinding(mentions)


def _run_together(unknown: DepartmentMention, mentions: list[DepartmentMention], hits: dict[str, list[str]],
                  key_of: Callable[[str], str]) -> DepartmentMention:
    """"某某街道福利院…": a loaded department's own name written right after another's (first read as
    a body inside it) is that department too — the question names two at once and is asked back."""
    if unknown.text not in hits or not any(m.keys and m.end == unknown.start for m in mentions):
        return unknown
    doc_ids = sorted(hits[unknown.text])
    keys = sorted({key_of(d) for d in doc_ids})
    return DepartmentMention(unknown.text, unknown.start, unknown.end, doc_ids, keys,
                             why=f"“{unknown.text}”是已载入部门的名称或简称，紧接在另一个部门名称之后",
                             run_together=True)


def _after_another(before: str, hits: dict[str, list[str]], key_of: Callable[[str], str], alias: str) -> bool:
    """Whether the words run on before a name end with another loaded department's short name
    (three characters or more): two names written together, not one longer body's name."""
    own = {key_of(d) for d in hits[alias]}
    return any(before.endswith(other) and len(other) >= 3 and not own & {key_of(d) for d in hits[other]}
               for other in hits)


def _written_after(after: list[tuple[int, int, str]], mentions: list[DepartmentMention], hits: dict[str, list[str]],
                   key_of: Callable[[str], str]) -> list[DepartmentMention]:
    """Another loaded department's full short name (three characters or more) written right after a
    bound one and before more words ("某街道福利院某某三家"): the names run together, asked back;
    one the organisation rule already took, or one of the same department, is left as it is."""
    found: list[DepartmentMention] = []
    for start, end, alias in sorted(after, key=lambda a: a[0]):
        before = next((m for m in mentions + found if m.end == start and m.keys), None)
        if before is None or len(alias) < 3 or any(m.start < end and start < m.end for m in mentions + found):
            continue
        doc_ids = sorted(hits[alias])
        keys = sorted({key_of(d) for d in doc_ids})
        if set(keys) & set(before.keys):
            continue
        found.append(DepartmentMention(alias, start, end, doc_ids, keys, run_together=True,
                                       why=f"“{alias}”是已载入部门的名称或简称，紧接在另一个部门名称之后"))
    return found


def _positions(text: str, alias: str) -> list[int]:
    return [m.start() for m in re.finditer(re.escape(alias), text)]


_REGION_END = re.compile(r"[\u4e00-\u9fa5]{1,8}?(?:省|自治区|市|自治州|州|区|县|旗)$")


def _region_conflict(text: str, start: int) -> int | None:
    """Where a region the alias did not take in begins, if one stands right before it.

    A stored document's aliases include every form of its own region, so a region word
    left over before the match ("某市" + "财政局" of a district bureau) names another body.
    """
    before = text[max(0, start - 10):start]
    match = _REGION_END.search(before)
    if match is None:
        return None
    region = _question_vocab().lead.sub("", match.group(0))
    return start - len(region) if region else None


_LEVEL_WORDS = frozenset("省市区县州旗镇乡")
"""Characters an alias may begin with that end a place name ("县卫生健康委员会" of some 县)."""
def _name_runs_on(text: str, start: int, boundary: frozenset[str], alias: str) -> int | None:
    """A short name preceded by characters that make it part of a longer name.

    Before an alias that begins with a level word ("县档案馆", "区财政局"), one character is
    enough: it ends a place's name, another body's."""
    if start == 0:
        return None
    before = text[start - 1]
    vocab = _question_vocab()
    level_alias = alias[0] in _LEVEL_WORDS
    ends = vocab.level_boundary if level_alias else boundary
    if before in ends or not ("\u4e00" <= before <= "\u9fa5"):
        return None
    if level_alias and before == "和" and vocab.org_end.search(text[:start - 1]):
        return None  # "某政协和省高院": a conjunction after another body's name
    run = re.search(r"[\u4e00-\u9fa5（）]{1,12}$", text[:start])
    head = vocab.lead.sub("", run.group(0)) if run else ""
    # cut at the last boundary character ("请问省政协的…" keeps nothing before the name)
    cut = max((i for i, ch in enumerate(head) if ch in ends), default=-1)
    head = head[cut + 1:]
    # one stray character is a verb or particle ("拿某街道…"); two or more name another body
    shortest = 1 if level_alias else 2
    return start - len(head) if len(head) >= shortest else None


# Words that end a phrase before an organisation's name ("收入在全部…" is no body's name).
_ORG_CUT = re.compile(r"[的是和与及在为了里对从向把被让给跟帮我问看查，,、？?]")


def _unknown_organisations(text: str, mentions: list[DepartmentMention]) -> list[DepartmentMention]:
    """Organisation names in the question that no loaded document answers to.

    A name is known when it is a bound (or ambiguous) mention; one that runs on past a bound
    name ("某街道" + "社区事务受理中心") names a body inside or beside it, not that department.
    """
    vocab = _question_vocab()
    spans = [(m.start, m.end) for m in mentions]
    unknown = []
    for match in vocab.org.finditer(text):
        start, end = match.start(1), match.end(1)
        name = _ORG_CUT.split(vocab.lead.sub("", match.group(1)))[-1]
        start = end - len(name)
        if len(name) < 3:
            continue  # "全部", "本部": a word, not a body
        overlapping = [(s, e) for s, e in spans if s < end and start < e]
        if overlapping and all(e >= end for _, e in overlapping):
            continue
        if overlapping:
            start = max(e for _, e in overlapping)
            name = text[start:end]
            if len(name) < 2:
                continue
        unknown.append(DepartmentMention(name, start, end, why="已载入的文件中没有这个部门"))
    return unknown


def near_names(name: str, names: list[str], limit: int = 5) -> list[str]:
    """Up to ``limit`` stored department names closest to ``name`` (suggestions, never a binding)."""
    return difflib.get_close_matches(name, list(dict.fromkeys(names)), n=limit, cutoff=0.3)
