"""Who published a disclosure: canonical name, identity key, region, level, scope and aliases.

Every rule is general (``vocab/identity.toml``): no department is known by name. The identity
key is what two files of one disclosure, or one department's disclosures over the years,
share whichever form of the name each prints.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from pathlib import Path

from budgetqa.vocab import VOCAB_DIR, load

_REGION_PARTS = re.compile(
    r"^([\u4e00-\u9fa5]{2,9}?(?:省|自治区))?([\u4e00-\u9fa5]{1,9}?(?:自治州|市|地区|盟|州))?"
    r"([\u4e00-\u9fa5]{1,9}?(?:区|县|旗|市))?"
)


@lru_cache
def _vocab() -> dict:
    return load("identity")


def canonical_name(name: str) -> str:
    """The department's name in one canonical form (中国共产党…委员会 → 中共…委, 常务委员会 → 常委会)."""
    text = re.sub(r"\s+", "", name or "")
    for pattern, replacement in _vocab()["canonical"]["rewrites"]:
        text = re.sub(pattern, replacement, text)
    return text


def identity_key(name: str) -> str:
    """What every printed form of one department's name reduces to (the merge and history key)."""
    text = canonical_name(name)
    for prefix in _vocab()["canonical"]["key_drop_prefixes"]:
        if text.startswith(prefix) and len(text) > len(prefix) + 2:
            text = text[len(prefix):]
    return text


def region_parts(name: str) -> list[str]:
    """The administrative parts a name starts with: "某省某市某区财政局" → ["某省", "某市", "某区"]."""
    key = identity_key(name)
    match = _REGION_PARTS.match(key)
    parts = [p for p in (match.groups() if match else ()) if p]
    if parts and "".join(parts) == key:
        parts = parts[:-1]  # the whole name is no region ("某某市" alone is a name, not a prefix)
    return parts


def region_of(name: str) -> str:
    """The region prefix of a department name ("某某省某某市某某区财政局" → "某某省某某市某某区")."""
    return "".join(region_parts(name))


def core_name(name: str) -> str:
    """The name without its region ("某省高级人民法院" → "高级人民法院")."""
    key = identity_key(name)
    return key[len(region_of(name)):] or key


def region_forms(region_parts_: list[str]) -> list[str]:
    """How people write a region before a department's name, most specific first.

    Only forms that keep the lowest level: "某市某区" may be written "某区", "某某", "区", but
    never "某市" alone, which names another body's level (市财政局 is not 区财政局).
    """
    if not region_parts_:
        return []
    lowest = region_parts_[-1]
    forms = ["".join(region_parts_), lowest]
    suffix = _vocab()["region"]["autonomous_suffix"]
    if lowest.endswith(suffix):
        forms.append(lowest[:2] + "州")
        forms.append(lowest[:2])
    else:
        stem = re.sub(r"(省|自治区|市|州|地区|盟|区|县|旗)$", "", lowest)
        if len(stem) >= 2:
            forms.append(stem)
            if len(region_parts_) > 1:
                higher = re.sub(r"(省|市)$", "", region_parts_[-2])
                forms += [higher + lowest, higher + stem]
    generic = re.search(r"(省|自治区|市|州|区|县|旗)$", lowest)
    if generic:
        forms.append(generic.group(1))
    return list(dict.fromkeys(f for f in forms if f))


def core_forms(core: str) -> list[str]:
    """The department's own name and the short forms people use for it, by the alias rules."""
    vocab = _vocab()["aliases"]
    forms = [core]
    for _ in range(3):  # rules combine: apply them to every form found so far, a few rounds
        for rule in vocab["rules"]:
            for form in list(forms):
                short = re.sub(rule["pattern"], rule["replace"], form)
                unless = rule.get("unless")
                if short != form and short not in forms and not (unless and re.search(unless, short)):
                    forms.append(short)
    return [f for f in forms if len(f) >= vocab["min_core_length"]]


def aliases(name: str) -> list[str]:
    """Every name a question may use for the department: with or without (a short form of) its region."""
    parts = region_parts(name)
    cores = core_forms(core_name(name))
    found = [canonical_name(name), identity_key(name)]
    for region in [*region_forms(parts), ""]:
        # a party committee's "委…" means nothing without its region ("省委办公厅", not "委办公厅")
        found += [region + core for core in cores if region or not core.startswith("委")]
    return list(dict.fromkeys(a for a in found if len(a) >= 2))


@lru_cache
def alias_rules_fingerprint() -> str:
    """A digest of what ``aliases`` depends on (this module and ``identity.toml``): a store whose
    aliases were written under another digest has them written again."""
    digest = hashlib.sha256()
    for path in (Path(__file__), VOCAB_DIR / "identity.toml"):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def level_of(name: str, front_text: str = "") -> str | None:
    """省 / 市 / 区县 / 乡镇街道 (or 中央), from the region and the name; None when nothing says."""
    core = core_name(name)
    rules = _vocab()["region"]["levels"]
    if re.search(rules[0][0], core):
        return rules[0][1]
    parts = region_parts(name)
    if parts:
        for pattern, level in rules[1:]:
            if re.search(pattern, parts[-1]):
                return level
    if re.search(_vocab()["region"]["central"], front_text):
        return "中央"
    return None


def scope_of(cover_lines: list[str]) -> str:
    """部门 or 单位: the first edition word the cover and title lines print (部门 by default)."""
    vocab = _vocab()["scope"]
    marks = [(re.compile(p), "单位") for p in vocab["unit"]] + [(re.compile(p), "部门") for p in vocab["department"]]
    for line in cover_lines:
        text = re.sub(r"\s+", "", line)
        hits = [(m.start(), scope) for pattern, scope in marks for m in [pattern.search(text)] if m]
        if hits:
            return min(hits)[1]
    return "部门"


def implausible(name: str) -> str | None:
    """Why a department name read from a document cannot be one, or None when it can."""
    if len(name or "") < 2:
        return "部门名称少于2个字"
    for pattern in _vocab()["check"]["implausible"]:
        if re.search(pattern, name):
            return f"部门名称“{name}”不像单位名称（{pattern}）"
    return None


def asks_for_unit_edition(question: str) -> bool:
    """True when a question asks for the 单位 edition ("本级", "单位预算")."""
    return any(word in question for word in _vocab()["scope"]["question_unit"])


def names_unit_edition(question: str) -> bool:
    """True when a question names the 单位 edition outright ("单位预算", "单位决算"), so only it will do."""
    return bool(re.search(_vocab()["scope"]["question_unit_explicit"], question))
