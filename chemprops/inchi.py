"""InChI: the standard InChI and InChIKey of a structure, and how two InChIs differ, layer by layer."""

from __future__ import annotations

import re

from rdkit import Chem, rdBase

from chemprops.stereo import without_racemic_groups

NO_STEREO_BLOCK = "UHFFFAOYSA"  # the second InChIKey block of a structure without stereo or isotope layers


def inchi_and_key(mol: Chem.Mol) -> tuple[str, str]:
    """Standard InChI and InChIKey ('' when the InChI library refuses the structure); racemic centres
    (CXSMILES `&` groups) are left undefined, as a racemate's InChI has them."""
    mol = without_racemic_groups(mol)
    with rdBase.BlockLogs():
        try:
            inchi = Chem.MolToInchi(mol, logLevel=None, treatWarningAsError=False) or ""
        except (ValueError, RuntimeError):
            inchi = ""
        key = Chem.InchiToInchiKey(inchi) or "" if inchi else ""
    return inchi, key


def standard_inchi(mol: Chem.Mol) -> str:
    """Standard InChI of a molecule with its racemic stereo groups cleared ('' when InChI refuses it)."""
    return inchi_and_key(mol)[0]


_LAYER_RE = re.compile(r"/([a-z])")


def inchi_layers(inchi: str) -> dict[str, str]:
    """Layers of an InChI by prefix letter; the formula layer under "formula"."""
    body = inchi.split("/", 1)[1] if "/" in inchi else ""
    parts = body.split("/")
    layers = {"formula": parts[0] if parts else ""}
    for part in parts[1:]:
        if part:
            layers.setdefault(part[0], part[1:])
    return layers


_MAIN, _CHARGE, _STEREO, _ISOTOPE = ("formula", "c", "h"), ("q", "p"), ("b", "t", "m", "s"), ("i",)


def inchi_difference(stated: str, computed: str, relative: bool = False) -> str:
    """Which layers two InChIs differ in: "", "stereo", "protonation", "isotope" (joined by "+") or
    "structure". With relative, the /m (absolute-inversion) flags are ignored."""
    if stated == computed:
        return ""
    a, b = inchi_layers(stated), inchi_layers(computed)

    def same(keys):
        return all(a.get(k, "") == b.get(k, "") for k in keys)

    if not same(_MAIN):
        # Protons moved between components (ammonium iodate written as iodic acid + ammonia): the same
        # heavy atoms and connections, H counts and the /p, /q layers differ.
        moved = a.get("c", "") == b.get("c", "") and _heavy(a["formula"]) == _heavy(b["formula"])
        return "protonation" if moved and not same(_CHARGE) else "structure"
    stereo_keys = ("b", "t") if relative else _STEREO
    differs = [
        name
        for name, keys in (("protonation", _CHARGE), ("stereo", stereo_keys), ("isotope", _ISOTOPE))
        if not same(keys)
    ]
    return "+".join(differs) if differs else ""


def _composition(inchi: str) -> tuple[int, int]:
    """Total hydrogens and total charge an InChI describes: H of the formula layer plus /p, charges /q plus /p."""
    layers = inchi_layers(inchi)
    hydrogens = 0
    for part in layers.get("formula", "").split("."):
        m = re.fullmatch(r"(\d*)(.*)", part)
        mult = int(m.group(1) or 1)
        h = re.search(r"H(?![a-z])(\d*)", m.group(2))
        hydrogens += mult * (int(h.group(1) or 1) if h else 0)
    protons = int(layers.get("p", "0") or 0) if re.fullmatch(r"[+-]?\d+", layers.get("p", "0") or "0") else 0
    charge = 0
    for part in layers.get("q", "").split(";"):
        m = re.fullmatch(r"(?:(\d+)\*)?([+-]\d+)", part)
        if m:
            charge += int(m.group(1) or 1) * int(m.group(2))
    return hydrogens + protons, charge + protons


def inchi_charge(inchi: str) -> int:
    """The total charge an InChI describes (its /q charges plus its /p protons)."""
    return _composition(inchi)[1]


def protons_moved(first: str, second: str) -> bool:
    """Same heavy atoms, connections, total hydrogens and total charge: only where the protons sit differs
    (ammonium iodate as iodic acid + ammonia)."""
    a, b = inchi_layers(first), inchi_layers(second)
    return (
        a.get("c", "") == b.get("c", "")
        and _heavy(a.get("formula", "")) == _heavy(b.get("formula", ""))
        and _composition(first) == _composition(second)
    )


def _heavy(formula: str) -> list[str]:
    """The formula layer's components without hydrogen counts ("HIO3.H3N" -> ["IO3", "N"])."""
    return sorted(re.sub(r"H(?![a-z])\d*", "", part) for part in formula.split("."))


_PARITY_RE = re.compile(r"^(\d+(?:-\d+)?)([+\-?u])$")


def _parities(layers: dict[str, str], key: str, invert: bool) -> dict[str, str] | None:
    """Parity by component and atom ("1:13" -> "-"), from a /t or /b layer; None when multipliers make
    atom-by-atom comparison impossible."""
    text = layers.get(key, "")
    out: dict[str, str] = {}
    for component, part in enumerate(text.split(";"), 1):
        for token in filter(None, part.split(",")):
            m = _PARITY_RE.match(token)
            if not m:
                return None
            sign = m.group(2)
            if invert and sign in "+-":
                sign = "+" if sign == "-" else "-"
            out[f"{component}:{m.group(1)}"] = sign
    return out


def stereo_relation(first: str, second: str, relative: bool = False) -> tuple[str, list[str]]:
    """How the stereo layers of two InChIs of one constitution relate: ("conflict", atoms) when an atom or
    bond is defined differently, ("first-less"/"second-less", atoms) when one leaves undefined what the
    other defines, ("both-partial", atoms), or ("unknown", []) for layers too complex to compare atom by atom."""
    a, b = inchi_layers(first), inchi_layers(second)
    simple = a.get("m", "") in ("0", "1") and b.get("m", "") in ("0", "1")
    invert = not relative and simple and a["m"] != b["m"]
    if not relative and not simple and a.get("m", "") != b.get("m", "") and a.get("t") and b.get("t"):
        return "unknown", []  # several components with their own inversion flags
    less_a: list[str] = []
    less_b: list[str] = []
    for key, flip in (("t", invert), ("b", False)):
        pa, pb = _parities(a, key, flip), _parities(b, key, False)
        if pa is None or pb is None:
            return "unknown", []
        for atom in sorted(set(pa) | set(pb), key=lambda x: [int(i) for i in re.split("[:-]", x)]):
            x, y = pa.get(atom, "?"), pb.get(atom, "?")
            if x in "+-" and y in "+-" and x != y:
                return "conflict", [atom]
            if x not in "+-" and y in "+-":
                less_a.append(atom)
            elif y not in "+-" and x in "+-":
                less_b.append(atom)
    if less_a and less_b:
        return "both-partial", less_a + less_b
    if less_a:
        return "first-less", less_a
    if less_b:
        return "second-less", less_b
    return ("conflict", []) if not relative and a.get("m") != b.get("m") else ("unknown", [])


def atom_map(mol: Chem.Mol) -> dict[str, int]:
    """RDKit atom index of each InChI atom, keyed "component:number" as `stereo_relation` names them; read
    from the AuxInfo /N: layer of the molecule's standard InChI ({} when the InChI library refuses it)."""
    mol = without_racemic_groups(mol)
    with rdBase.BlockLogs():
        try:
            _, aux = Chem.MolToInchiAndAuxInfo(mol)
        except (ValueError, RuntimeError):
            return {}
    m = re.search(r"/N:([^/]*)", aux or "")
    if not m:
        return {}
    out = {}
    for component, part in enumerate(m.group(1).split(";"), 1):
        for number, original in enumerate(filter(None, part.split(",")), 1):
            out[f"{component}:{number}"] = int(original) - 1
    return out
