"""IUPAC names as sources write them, read the way they are meant, and compared with a structure.

OPSIN reads a name by the letter. Sources wrap names in things OPSIN does not read (a trailing "(non-preferred
name)", a word broken across lines, CAS adducts "A--B (1/1)", `~n~` superscripts) and follow conventions it
does not apply (CAS puts the "N-" of glutamine on the amide nitrogen; "Chlorine" is the substance Cl2; "rel-",
"rac-" and ring cis/trans fix only a relative configuration). Here every stated name is read as written and,
where one of these applies, also in its other spellings, all in the one OPSIN run of the batch:

- the name as written always comes first: a spelling is used instead only when OPSIN cannot read the name
  (cleaning), or when the name as read disagrees with the structure and that spelling agrees (conventions);
- relative and racemic stereo is compared allowing the mirror image; a stereo comparison InChI's layers cannot
  decide (meso compounds, several components) is decided component by component, else a warning says so.

`start(names)` runs OPSIN, `read(item)` turns its answers into a `Reading` and `judge(reading, inchi)` compares it
with the structure's standard InChI.
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass, field

from rdkit import Chem

from chemprops import opsin
from chemprops.errors import ParseError, one_line
from chemprops.inchi import inchi_difference, inchi_layers, standard_inchi, stereo_relation
from chemprops.structure import mol_from_smiles

PASS, FAIL, WARN = "pass", "fail", "warn"
_RANK = {FAIL: 0, WARN: 1, PASS: 2}

PASS_MESSAGE = "the name's structure (OPSIN) has the structure's standard InChI"
_DIFFERENCE = {
    "structure": "a different structure (connectivity, formula or hydrogens differ)",
    "stereo": "the same constitution; differs only in the stereo layer",
    "protonation": "the same skeleton; differs only in the protonation/charge layer (/p, /q)",
    "isotope": "the same structure; differs only in the isotope layer",
}


# --- spellings ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Spelling:
    """One way to read a stated name: the text given to OPSIN (or a SMILES for what OPSIN cannot name), how it
    differs from the name as stated, and the best status a match through it can earn."""

    text: str
    note: str = ""
    cap: str = PASS  # WARN for a convention that is looser than IUPAC's
    smiles: str = ""  # set for a structure given directly (X2 for an element name), not through OPSIN
    stereo_checked: bool = True  # False when stereodescriptors were dropped: a stereo difference is no failure
    cleaned: bool = False  # a cleaning of the name (used when OPSIN cannot read it), not another convention


# Parenthesised remarks some sources append to a name: "(non-preferred name)", "(incorrect configuration
# definition!)" (EPA CompTox). Only a trailing group of words with one of these keywords or a "!" is taken.
_NOTE_RE = re.compile(r"\s+\(([A-Za-z][A-Za-z ,;!'\-]*)\)\s*$")
_NOTE_WORDS = re.compile(
    r"!|preferred|incorrect|configuration|definition|\bname\b|obsolete|deprecated|ambiguous|trivial|\bINN\b|\bCAS\b",
    re.I,
)


def _strip_notes(name: str) -> tuple[str, list[str]]:
    notes = []
    while True:
        m = _NOTE_RE.search(name)
        if not m or not _NOTE_WORDS.search(m.group(1)):
            return name, notes
        notes.append(" ".join(m.group(1).split()))
        name = name[: m.start()]


def _untilde(name: str) -> str:
    """CAS/EPA superscripts and subscripts in plain text: isotopes "(~18~F)" -> "(18F)", "(~2~H_6_)" -> "(2H6)",
    heteroatom locants "N~2~" -> "N2". Von Baeyer superscripts ("1.1~3,7~"), which OPSIN reads, stay."""
    if "~" not in name and "_" not in name:
        return name
    name = re.sub(r"(?<![\w~])~(\d+)~(?=[A-Z])", r"\1", name)
    name = re.sub(r"(?<=[A-Za-z])_(\d+)_", r"\1", name)
    return re.sub(r"(?<=\b[NOSP])~(\d+)~", r"\1", name)


def _depths(name: str) -> list[int]:
    """Bracket depth before each character."""
    out, depth = [], 0
    for ch in name:
        out.append(depth)
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth = max(0, depth - 1)
    return out


def _top_level_split(name: str, separator: str) -> list[str]:
    depth = _depths(name)
    parts, start, i = [], 0, 0
    while i < len(name):
        if name.startswith(separator, i) and depth[i] == 0:
            parts.append(name[start:i])
            start = i = i + len(separator)
            continue
        i += 1
    return [*parts, name[start:]]


_RATIO_RE = re.compile(r"\s*\((\d+(?:/\d+)+)\)\s*$")


def _adduct(name: str) -> str:
    """CAS "A--B (1/2)" (a salt or adduct of components A and B, ratio counted per ion) as OPSIN's
    "A compound with B (1:2)"; ratios "(2/1/6)" after a salt become "(2:1:6)"."""
    m = _RATIO_RE.search(name)
    ratio = f" ({m.group(1).replace('/', ':')})" if m else ""
    body = name[: m.start()] if m else name
    parts = [p.strip() for p in _top_level_split(body, "--")] if "--" in body else [body]
    if len(parts) > 1 and all(parts):
        body = " compound with ".join(parts)
    return body + ratio


# "(R,S)-x" or "(R/S)-x" for one unlocanted centre is a loose way of saying racemic: OPSIN reads "(RS)-x".
_LOOSE_RACEMIC_RE = re.compile(r"(?:(?<=^)|(?<=[\s\-\[({]))\((?:R\s*[,/]\s*S|S\s*[,/]\s*R)\)-")

# A space in a name from a source that broke it across lines (the EPA list has 326). A space next to "-", ",",
# a bracket's inside or between digits is always a break. Between letters, the words really are separate when
# the left one ends like a whole word (an acid's "-ic", a metal, "hydrogen", an ester's "-yl"), unless the right
# one is a fragment that cannot start a word ("yl...", a lone "ic"); inside brackets (second try) also unless the
# right one is a class or ion word ("acid", "phosphate"). Measured on the line breaks of the EPA list: 336 of 353
# breaks found, 31 false joins (all inside trailing notes, which are removed first).
_WHOLE_LEFT = re.compile(
    r"(yl|ic|ous|ium|ide|ate|ite|ine|ane|ene|one|ol|al|gen|um|ime|on|en|ese|zinc|silver|gold|tin|lead|iron|"
    r"copper|nickel|cobalt|mercury|antimony|bismuth|alpha|beta|acid|ester|salt|compound|with)\)?$",
    re.I,
)
_WHOLE_RIGHT = re.compile(
    r"^\(?(acid|anhydride|ester|lactone|name|hydrogen|dihydrogen|trihydrogen|tetrahydrogen|compound|with|salt|"
    r"hydrate|oxide|sulfide|methyl|ethyl|[a-z]*(ate|ide|ite|ium)\b)",
    re.I,
)
_FRAGMENT_RIGHT = re.compile(r"^(yl|oyl|(ic|ol|one|al|e|ane|ene|yne|ide|ate)\b)")


def _broken(left: str, right: str, depth: int, inside: bool) -> bool:
    """Whether the space between two words is a break inside one word (inside: also join what only a break
    inside brackets explains, e.g. "(hydroxymethyl) oxan-2-yl")."""
    a, b = left[-1], right[0]
    if a in "-,([{.:~" or b in "-,)]}.:~":
        return True
    if a.isdigit() and b.isdigit():
        return True
    if a.isalpha() and b.isalpha():
        if _FRAGMENT_RIGHT.match(right):
            return True
        whole_left = _WHOLE_LEFT.search(left[-12:])
        return not whole_left or (inside and depth > 0 and not _WHOLE_RIGHT.search(right))
    return inside and depth > 0


def _join_broken(name: str, inside: bool = False) -> str:
    words = name.split(" ")
    if len(words) == 1:
        return name
    out, depth = words[0], _depth_change(words[0])
    for word in words[1:]:
        out += ("" if out and word and _broken(out, word, depth, inside) else " ") + word
        depth += _depth_change(word)
    return out


def _depth_change(text: str) -> int:
    return sum(text.count(c) for c in "([{") - sum(text.count(c) for c in ")]}")


# Pseudoasymmetric centres (lowercase r/s, IUPAC 2013 P-92.1.4): OPSIN 2.9 cannot apply them. The name is read
# without them; its other stereo and its constitution are still compared (at most a warning).
_DESCRIPTORS_RE = re.compile(
    r"\((\d+[a-z]?'*(?:\(\d+[a-z]?\))?[RSEZrs]\*?(?:,\s*\d+[a-z]?'*(?:\(\d+[a-z]?\))?[RSEZrs]\*?)*)\)-?"
)
_PSEUDO_RE = re.compile(r"^\d+[a-z]?'*[rs]$")


def _drop_pseudoasymmetric(name: str) -> tuple[str, list[str]]:
    dropped: list[str] = []

    def keep(m: re.Match) -> str:
        items = [i.strip() for i in m.group(1).split(",")]
        pseudo = [i for i in items if _PSEUDO_RE.match(i)]
        if not pseudo:
            return m.group(0)
        dropped.extend(pseudo)
        rest = [i for i in items if i not in pseudo]
        return f"({','.join(rest)})" + ("-" if m.group(0).endswith("-") else "") if rest else ""

    return _DESCRIPTORS_RE.sub(keep, name), dropped


def cleanings(name: str) -> list[Spelling]:
    """Spellings OPSIN may read when it cannot read the name as stated (each a conservative rewrite)."""
    text, notes = _strip_notes(name)
    steps = [f"without the note '({n})'" for n in notes]
    cleaned = _untilde(text)
    if cleaned != text:
        steps.append("with ~n~ superscripts written plainly")
    adduct = _adduct(cleaned)
    if adduct != cleaned:
        steps.append("with the CAS adduct 'A--B (m/n)' as 'A compound with B (m:n)'")
    cleaned = adduct
    cap = PASS
    racemic = _LOOSE_RACEMIC_RE.sub("(RS)-", cleaned)
    if racemic != cleaned:
        steps.append("with '(R,S)-' as racemic '(RS)-'")
        cleaned, cap = racemic, WARN
    plain, dropped = _drop_pseudoasymmetric(cleaned)
    if dropped:
        steps.append(f"without the pseudoasymmetric descriptor(s) {','.join(dropped)} (OPSIN cannot apply r/s)")
        cleaned, cap = plain, WARN
    out = []
    if cleaned != name:
        out.append(Spelling(cleaned, "read " + "; ".join(steps), cap, stereo_checked=not dropped, cleaned=True))
    for inside in (False, True):
        joined = _join_broken(cleaned, inside)
        if joined != cleaned and all(joined != s.text for s in out):
            note = "read " + "; ".join([*steps, "joining words broken by a space"])
            out.append(Spelling(joined, note, cap, stereo_checked=not dropped, cleaned=True))
    return out


# Element names of the diatomic elements: the name of the substance, X2 (IUPAC Red Book IR-3.4.1).
_DIATOMIC = {
    "hydrogen": "[H][H]",
    "nitrogen": "N#N",
    "oxygen": "O=O",
    "fluorine": "FF",
    "chlorine": "ClCl",
    "bromine": "BrBr",
    "iodine": "II",
}
_DIATOMIC_RE = re.compile(r"^(?:molecular\s+)?(" + "|".join(_DIATOMIC) + r")(?:\s+gas)?$", re.I)


def _diatomic(name: str) -> Spelling | None:
    m = _DIATOMIC_RE.match(name.strip())
    if not m:
        return None
    element = m.group(1).lower()
    symbol = Chem.MolFromSmiles(_DIATOMIC[element]).GetAtomWithIdx(0).GetSymbol()
    note = f"the element name read as the diatomic substance {symbol}2"
    return Spelling(name, note, PASS, smiles=_DIATOMIC[element])


# CAS index names of glutamine and asparagine (and their alpha- isomers) give the amide nitrogen as "N" and the
# alpha-amino nitrogen as "N2" (N-ethyl-L-glutamine is theanine, CAS 3081-61-6); IUPAC and OPSIN read "N-" as the
# alpha-amino nitrogen. OPSIN's locant for the amide nitrogen of all four is N'.
_AMIDE_PARENT_RE = re.compile(r"(?:^|[-\s])(?:(?:alpha|α)-)?(?:iso)?(glutamine|asparagine)$", re.I)
_PLAIN_N_RE = re.compile(r"(?<![\w~'])N(?:,N)*(?=-)")


def _amide_nitrogen(name: str) -> list[Spelling]:
    if not _AMIDE_PARENT_RE.search(name):
        return []
    depth = _depths(name)
    hits = [m for m in _PLAIN_N_RE.finditer(name) if depth[m.start()] == 0]
    if not hits:
        return []
    parent = _AMIDE_PARENT_RE.search(name).group(1).lower()
    note = f"read by the CAS convention: the unnumbered N of {parent} is its amide nitrogen (N')"
    choices = [[h] for h in hits] + ([hits] if len(hits) > 1 else [])
    out = []
    for chosen in choices:
        text = name
        for m in sorted(chosen, key=lambda m: -m.start()):
            text = text[: m.start()] + m.group().replace("N", "N'") + text[m.end() :]
        out.append(Spelling(text, note, WARN))  # IUPAC reads it otherwise: the curator should write N5-/N4-
    return out


# Two oxoanions: "cerium(4+) disulfate" for Ce(SO4)2, where IUPAC's "disulfate" is S2O7(2-) and two sulfates are
# "bis(sulfate)" (Red Book IR-5.4); OPSIN reads the strict meaning.
_DI_ANION_RE = re.compile(
    r"\b(di|tri)((?:sulf|phosph|chrom|carbon|silic|bor|arsen|selen|molybd|tungst|vanad)(?:ate|ite))\b", re.I
)
# "[X]methylcarbamate" for an N-X-N-methylcarbamate, strictly "X(methyl)carbamate": OPSIN reads X on the methyl.
_N_SUBSTITUENT_RE = re.compile(r"([\])}])(methyl|ethyl|propyl|butyl|methoxy|ethoxy|phenyl)(carbamate|carbamothioate)\b")


def _loose_multipliers(name: str) -> list[Spelling]:
    out = []
    text = _DI_ANION_RE.sub(lambda m: ("bis(" if m.group(1).lower() == "di" else "tris(") + m.group(2) + ")", name)
    if text != name:
        out.append(Spelling(text, "'di<anion>' read as two anions, which IUPAC writes 'bis(<anion>)'", WARN))
    text = _N_SUBSTITUENT_RE.sub(r"\1(\2)\3", name)
    if text != name:
        out.append(
            Spelling(
                text, "'[X]methylcarbamate' read as N,N-disubstituted, which IUPAC writes 'X(methyl)carbamate'", WARN
            )
        )
    return out


def spellings(name: str) -> list[Spelling]:
    """The name as stated first, then its cleaned spellings, then readings under other conventions."""
    out = [Spelling(name)]
    bases = [Spelling(name), *cleanings(name)]
    out += bases[1:]
    for base in bases:
        for variant in [*_amide_nitrogen(base.text), *_loose_multipliers(base.text)]:
            note = "; ".join(filter(None, [base.note, variant.note]))
            cap = WARN if WARN in (base.cap, variant.cap) else PASS
            out.append(Spelling(variant.text, note, cap, stereo_checked=base.stereo_checked))
    element = _diatomic(name)
    if element:
        out.append(element)
    seen, unique = set(), []
    for s in out:
        if (s.text, s.smiles) not in seen:
            seen.add((s.text, s.smiles))
            unique.append(s)
    return unique


# --- one OPSIN run for a batch ---------------------------------------------------------------------------
@dataclass(frozen=True)
class NameItem:
    """A stated name (its key) with OPSIN's reading of each of its spellings."""

    key: str
    readings: tuple[tuple[Spelling, opsin.ParsedName], ...]

    def read(self) -> tuple[str, Reading]:
        return read(self)


class Run:
    """OPSIN on every spelling of every name of a batch, in one JVM, in the background."""

    def __init__(self, names: list[str], timeout: float = 600):
        self.plan = [(name, spellings(name)) for name in names]
        texts = list(dict.fromkeys(s.text for _, group in self.plan for s in group if not s.smiles))
        self._texts = texts
        self._run = opsin.start(texts, timeout) if texts else None

    def done(self) -> bool:
        return self._run is None or self._run.done()

    def result(self) -> list[NameItem]:
        parsed = self._run.result() if self._run else []
        by_text = dict(zip(self._texts, parsed))
        out = []
        for name, group in self.plan:
            pairs = []
            for s in group:
                p = opsin.ParsedName(s.text, s.smiles) if s.smiles else by_text.get(s.text)
                if p is not None:
                    pairs.append((s, p))
            out.append(NameItem(name, tuple(pairs)))
        return out


def start(names: list[str], timeout: float = 600) -> Run:
    """Start OPSIN on a batch of names (DependencyError without Java or py2opsin)."""
    return Run(names, timeout)


# --- readings -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Reading:
    """A name turned into a structure (its standard InChI), or the reason it could not be.

    relative: InChIs of every way to draw the name's relative stereo ("rel-", "R*", ring cis/trans, and the
    relative configuration of a racemate), for comparison allowing the mirror image. racemic: the name states a
    racemate ("rac-", "RS", "±"); its InChI has no stereo at the racemic centres. note/cap: how the name was
    spelled for OPSIN and the best status that earns; alternatives: other readings, used when this one disagrees.
    """

    inchi: str = ""
    error: str = ""
    relative: tuple[str, ...] = ()
    racemic: bool = False
    note: str = ""
    cap: str = PASS
    alternatives: tuple[Reading, ...] = field(default=())
    stereo_checked: bool = True


_RACEMIC_NAME_RE = re.compile(r"\brac-|\(\s*\d*(?:RS|SR)\b|\(±\)|\(\+\s*(?:/\s*)?[-−]\)|\bDL-|\bdl-", re.I)
_CIS_TRANS_RE = re.compile(r"(?:^|[\s\-(\[{])(?:cis|trans)-", re.I)
_ABSOLUTE_RE = re.compile(
    r"\((?:[^()]*[,(])?\d*[a-z']*[RS][,)]|\d+[a-z']*[RS][,)]|(?:^|[^A-Za-z])[DL]-|\d(?:alpha|beta|α|β)\b"
)
_MAX_GROUPS = 4


def _flip(atom: Chem.Atom) -> None:
    tag = atom.GetChiralTag()
    if tag == Chem.ChiralType.CHI_TETRAHEDRAL_CW:
        atom.SetChiralTag(Chem.ChiralType.CHI_TETRAHEDRAL_CCW)
    elif tag == Chem.ChiralType.CHI_TETRAHEDRAL_CCW:
        atom.SetChiralTag(Chem.ChiralType.CHI_TETRAHEDRAL_CW)


def _relative_inchis(mol: Chem.Mol, groups: list[list[int]]) -> tuple[str, ...]:
    """InChIs of the molecule with each group of centres drawn as is or mirrored (groups removed)."""
    base = Chem.RWMol(mol)
    base.SetStereoGroups([])
    base = base.GetMol()
    out = []
    for flips in itertools.product((False, True), repeat=len(groups)):
        copy = Chem.Mol(base)
        for group, flip in zip(groups, flips):
            if flip:
                for idx in group:
                    _flip(copy.GetAtomWithIdx(idx))
        inchi = standard_inchi(copy)
        if inchi:
            out.append(inchi)
    return tuple(dict.fromkeys(out))


def reading(parsed, name: str | None = None) -> Reading:
    """Standard InChI of OPSIN's structure for a name; racemic names lose their stereo (kept, with its mirror
    image, as the relative configuration), relative ones ("rel-", "R*", ring cis/trans) keep their mirror image."""
    if parsed.smiles is None:
        return Reading(error=parsed.error)
    name = name if name is not None else getattr(parsed, "name", "")
    try:
        mol = mol_from_smiles(parsed.smiles)
    except ParseError as exc:
        return Reading(error=f"OPSIN's SMILES is unreadable: {one_line(exc, 80)}")
    chiral = [a.GetIdx() for a in mol.GetAtoms() if a.GetChiralTag() != Chem.ChiralType.CHI_UNSPECIFIED]
    groups = [[a.GetIdx() for a in g.GetAtoms()] for g in mol.GetStereoGroups()]
    racemic = bool(parsed.racemic) or bool(_RACEMIC_NAME_RE.search(name))
    whole = bool(parsed.racemic) or bool(
        not groups and chiral and _CIS_TRANS_RE.search(name) and not _ABSOLUTE_RE.search(name)
    )
    if whole and chiral:
        groups = [chiral]
    relative = _relative_inchis(mol, groups[:_MAX_GROUPS]) if groups else ()
    if parsed.racemic:
        mol = Chem.Mol(mol)
        for atom in mol.GetAtoms():
            atom.SetChiralTag(Chem.ChiralType.CHI_UNSPECIFIED)
    inchi = standard_inchi(mol)
    if not inchi:
        return Reading(error="no InChI for OPSIN's structure")
    return Reading(inchi=inchi, relative=relative if len(relative) > 1 else (), racemic=racemic)


# "R1 R2 dihydrogen diphosphate" (nucleotide sugars, CoA, FAD) means one ester on each phosphorus (P1,P2);
# OPSIN puts both on the first. The other reading is kept as an alternative.
_DIPHOSPHATE_RE = re.compile(r"\bdihydrogen diphosphate\b", re.I)
_BOTH_ON_ONE_P = Chem.MolFromSmarts("[#6][OX2][PX4](=O)([OX2][#6])[OX2][PX4](=O)([OX2H1,OX1-])[OX2H1,OX1-]")


def _one_ester_per_phosphorus(smiles: str) -> str | None:
    """The diphosphate diester with its second ester moved to the other phosphorus (SMILES), or None."""
    try:
        mol = mol_from_smiles(smiles)
    except ParseError:
        return None
    match = mol.GetSubstructMatch(_BOTH_ON_ONE_P)
    if not match:
        return None
    p1, ester, p2, free = match[2], match[4], match[7], match[9]
    rw = Chem.RWMol(mol)
    rw.RemoveBond(p1, ester)
    rw.RemoveBond(p2, free)
    rw.AddBond(p2, ester, Chem.BondType.SINGLE)
    rw.AddBond(p1, free, Chem.BondType.SINGLE)
    try:
        Chem.SanitizeMol(rw)
    except (ValueError, RuntimeError):
        return None
    return Chem.MolToSmiles(rw)


def read(item: NameItem) -> tuple[str, Reading]:
    """(stated name, its Reading): the first readable spelling (the name as stated when OPSIN reads it), with
    the other readable spellings as alternatives."""
    found: list[Reading] = []
    error = ""
    for spelling, parsed in item.readings:
        r = reading(parsed, spelling.text)
        if r.error:
            if not error or (spelling.cleaned and "(read " not in error):  # the reason that remains after cleaning
                error = f"{r.error} ({spelling.note})" if spelling.cleaned else r.error
            continue
        checked = spelling.stereo_checked
        found.append(Reading(r.inchi, "", r.relative, r.racemic, spelling.note, spelling.cap, (), checked))
        moved = _one_ester_per_phosphorus(parsed.smiles) if _DIPHOSPHATE_RE.search(spelling.text) else None
        if moved:
            other = reading(opsin.ParsedName(parsed.name, moved, parsed.racemic), spelling.text)
            note = "; ".join(
                filter(None, [spelling.note, "the diphosphate diester read as P1,P2 (one ester on each P)"])
            )
            if other.inchi:
                found.append(Reading(other.inchi, "", other.relative, other.racemic, note, spelling.cap, (), checked))
    if not found:
        return item.key, Reading(error=error or "OPSIN cannot parse this name")
    first, rest = found[0], tuple(r for r in found[1:] if r.inchi != found[0].inchi)
    return item.key, Reading(
        first.inchi, "", first.relative, first.racemic, first.note, first.cap, rest, first.stereo_checked
    )


# --- comparison -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Verdict:
    status: str
    message: str
    inchi: str  # the InChI of the reading the verdict rests on


def judge(named, ours: str) -> Verdict:
    """Compare a name's reading with the structure's standard InChI; when the name as read disagrees, a reading
    under another convention (its alternatives) that agrees better is taken, with its note."""
    best = _judge_one(named, ours)
    if best.status != PASS:
        for alternative in getattr(named, "alternatives", ()):
            verdict = _judge_one(alternative, ours)
            if _RANK[verdict.status] > _RANK[best.status]:
                best = verdict
    return best


def _judge_one(named, ours: str) -> Verdict:
    status, message = _compare(named, ours)
    note, cap = getattr(named, "note", ""), getattr(named, "cap", PASS)
    if note:
        message = f"{message} ({note})"
        if status == PASS and cap == WARN:
            status = WARN
    return Verdict(status, message, named.inchi)


def _compare(named, ours: str) -> tuple[str, str]:
    inchi = named.inchi
    relative = getattr(named, "relative", ())
    racemic = getattr(named, "racemic", False)
    kind = inchi_difference(inchi, ours)
    if not kind:
        if relative and not racemic and _has_stereo(ours):
            return PASS, PASS_MESSAGE + " (relative stereo: the name allows either enantiomer)"
        return PASS, PASS_MESSAGE
    if kind == "stereo":
        status, message = _compare_stereo(inchi, ours, relative, racemic)
        if status == FAIL and not getattr(named, "stereo_checked", True):
            return WARN, (
                "same constitution; the stereo cannot be compared: without the descriptors OPSIN cannot apply, "
                "the others may be placed differently"
            )
        return status, message
    if kind == "protonation":
        return WARN, "same atoms and bonds; only charges/protons differ (e.g. an ionic vs covalent drawing)"
    if _same_ratio(inchi, ours):
        return WARN, "the same components in the same ratio: the name gives the formula unit, the structure a multiple"
    return FAIL, "the name's structure (OPSIN) is " + "; ".join(_DIFFERENCE.get(k, k) for k in kind.split("+"))


def _has_stereo(inchi: str) -> bool:
    layers = inchi_layers(inchi)
    return bool(layers.get("t") or layers.get("b"))


def _atoms(atoms: list[str]) -> str:
    return ",".join(a[2:] if a.startswith("1:") else a for a in atoms[:6])


_PREFER = {"same": 0, "first-less": 1, "second-less": 1, "both-partial": 1, "unknown": 2, "conflict": 3}


def _relation(first: str, second: str) -> tuple[str, list[str], str]:
    """(relation, atoms, how): stereo_relation, with "same" for equal stereo, and comparisons InChI's layers
    cannot decide (meso, several components) decided component by component ("how" then says so)."""
    if not inchi_difference(first, second):
        return "same", [], ""
    relation, atoms = stereo_relation(first, second)
    if relation != "unknown":
        return relation, atoms, ""
    return _by_component(first, second)


def _compare_stereo(inchi: str, ours: str, relative: tuple[str, ...], racemic: bool) -> tuple[str, str]:
    if racemic:
        prefix = "the name is racemic (rac-, RS, ±)"
        if not relative:
            relation, atoms, how = _relation(inchi, ours)
            if relation == "first-less":
                return WARN, f"{prefix}; the structure defines the stereo at InChI atom(s) {_atoms(atoms)}"
            return _stereo_outcome(relation, atoms, how, prefix)
        relation, atoms, how = min((_relation(r, ours) for r in relative), key=lambda x: _PREFER[x[0]])
        if relation == "same":
            return WARN, f"{prefix}; the structure shows one enantiomer of it"
        if relation == "conflict":
            return FAIL, (
                f"{prefix}, of another relative configuration than the structure's"
                + (f" (InChI atom {_atoms(atoms)})" if atoms else "")
            )
        return _stereo_outcome(relation, atoms, how, prefix)
    if relative:
        prefix = "relative stereo (rel-, R*, cis/trans): compared allowing the mirror image"
        relation, atoms, how = min((_relation(r, ours) for r in relative), key=lambda x: _PREFER[x[0]])
        if relation == "same":
            return PASS, PASS_MESSAGE + " (relative stereo: the name allows either enantiomer)"
        return _stereo_outcome(relation, atoms, how, prefix)
    relation, atoms, how = _relation(inchi, ours)
    return _stereo_outcome(relation, atoms, how, "")


def _stereo_outcome(relation: str, atoms: list[str], how: str, prefix: str) -> tuple[str, str]:
    listed = _atoms(atoms)
    lead = f"{prefix}; " if prefix else ""
    tail = f" ({how})" if how else ""
    if relation == "same":
        return WARN, f"{lead}the stereo agrees{tail}"
    if relation == "first-less":
        return WARN, (
            f"{lead}same constitution; the name leaves stereo at InChI atom(s) {listed} open, "
            f"the structure defines it{tail}"
        )
    if relation == "second-less":
        return WARN, (
            f"{lead}same constitution; the name defines stereo at InChI atom(s) {listed} "
            f"that the structure leaves undefined{tail}"
        )
    if relation == "both-partial":
        return (
            WARN,
            f"{lead}same constitution; name and structure each leave some stereo open (InChI atoms {listed}){tail}",
        )
    if relation == "unknown":
        return WARN, (
            f"{lead}same constitution; the stereo layers differ in a way that cannot be compared atom by atom "
            "(meso compound or several components)"
        )
    detail = f" (opposite configuration at InChI atom {listed})" if atoms else " (the other enantiomer)"
    return FAIL, f"{lead}the name's structure (OPSIN) is {_DIFFERENCE['stereo']}{detail}{tail}"


# --- stereo layers component by component ---------------------------------------------------------------
_TOKEN_RE = re.compile(r"^(\d+(?:-\d+)?)([+\-?u])$")


def _per_component(text: str) -> list[str] | None:
    """A /t or /b layer's parts by component, multipliers ("2*10-") expanded."""
    out = []
    for part in text.split(";") if text else []:
        m = re.match(r"^(\d+)\*(.*)$", part)
        out += [m.group(2)] * int(m.group(1)) if m else [part]
    return out


def _parities(part: str) -> dict[str, str] | None:
    out = {}
    for token in filter(None, part.split(",")):
        m = _TOKEN_RE.match(token)
        if not m:
            return None
        out[m.group(1)] = m.group(2)
    return out


def _stereo_parts(inchi: str) -> tuple[list[dict], list[dict], list[str]] | None:
    layers = inchi_layers(inchi)
    t, b = _per_component(layers.get("t", "")), _per_component(layers.get("b", ""))
    if t is None or b is None:
        return None
    tp = [_parities(p) for p in t]
    bp = [_parities(p) for p in b]
    if any(p is None for p in tp + bp):
        return None
    return tp, bp, list(layers.get("m", ""))


def _by_component(first: str, second: str) -> tuple[str, list[str], str]:
    """Compare stereo component by component; a component without an absolute flag on one side (meso: its own
    mirror image) is compared in both orientations."""
    a, b = _stereo_parts(first), _stereo_parts(second)
    if a is None or b is None:
        return "unknown", [], ""
    (ta, ba, ma), (tb, bb, mb) = a, b
    less_a: list[str] = []
    less_b: list[str] = []
    mirrored = False
    for i in range(max(len(ta), len(tb), len(ba), len(bb))):
        label = f"{i + 1}:"
        fa, fb = (ma[i] if i < len(ma) else "."), (mb[i] if i < len(mb) else ".")
        pa, pb = _at(ta, i), _at(tb, i)
        if fa in "01" and fb in "01":
            orientations = [fa != fb]
        else:
            orientations = [False, True]
            mirrored = mirrored or bool(pa and pb)
        tried = [_compare_parities(pa, pb, invert, label) for invert in orientations]
        agreeing = [r for r in tried if r[0] is None]
        bonds = _compare_parities(_at(ba, i), _at(bb, i), False, label)
        if not agreeing or bonds[0] is not None:
            conflict = bonds[0] if bonds[0] is not None else tried[0][0]
            return "conflict", [conflict], _how(mirrored)
        best = min(agreeing, key=lambda r: len(r[1]) + len(r[2]))
        less_a += best[1] + bonds[1]
        less_b += best[2] + bonds[2]
    if less_a and less_b:
        return "both-partial", less_a + less_b, _how(mirrored)
    if less_a:
        return "first-less", less_a, _how(mirrored)
    if less_b:
        return "second-less", less_b, _how(mirrored)
    return "same", [], _how(mirrored)


def _at(parts: list[dict], i: int) -> dict:
    return parts[i] if i < len(parts) else {}


def _how(mirrored: bool) -> str:
    return "compared component by component" + (
        "; a meso part (its own mirror image) compared in both orientations" if mirrored else ""
    )


def _compare_parities(pa: dict, pb: dict, invert: bool, label: str) -> tuple[str | None, list[str], list[str]]:
    """(conflicting atom or None, atoms only pb defines, atoms only pa defines)."""
    less_a, less_b = [], []
    for atom in sorted(set(pa) | set(pb), key=lambda x: [int(i) for i in x.split("-")]):
        x, y = pa.get(atom, "?"), pb.get(atom, "?")
        if invert and x in "+-":
            x = "+" if x == "-" else "-"
        if x in "+-" and y in "+-" and x != y:
            return label + atom, [], []
        if x not in "+-" and y in "+-":
            less_a.append(label + atom)
        elif y not in "+-" and x in "+-":
            less_b.append(label + atom)
    return None, less_a, less_b


# --- helpers --------------------------------------------------------------------------------------------
def _components(inchi: str) -> dict[str, int] | None:
    out: dict[str, int] = {}
    for part in inchi_layers(inchi).get("formula", "").split("."):
        m = re.fullmatch(r"(\d*)(.+)", part)
        if not m:
            return None
        out[m.group(2)] = out.get(m.group(2), 0) + int(m.group(1) or 1)
    return out


def _same_ratio(first: str, second: str) -> bool:
    """Same components in the same proportions (a dimer's InChI vs its formula unit), different multiples."""
    a, b = _components(first), _components(second)
    if not a or not b or set(a) != set(b) or a == b:
        return False
    ga, gb = math.gcd(*a.values()), math.gcd(*b.values())
    return {k: v // ga for k, v in a.items()} == {k: v // gb for k, v in b.items()}
