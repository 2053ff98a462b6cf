"""Which form of the compound a stated value describes, when it is not the structure given.

Real records state the hydrochloride's mass beside the free base's structure, the monohydrate's formula, the
other enantiomer's InChIKey. When formula, molar_mass, exact_mass, inchi or inchikey fail, `explain` tries the
related forms of the structure, most likely first, with the very check that failed (same tolerances), and
returns the first that passes:

- the parent: ChEMBL Structure Pipeline (`standardize_mol`, `get_parent_mol`: its salt and solvent lists and
  its neutralisation, what ChEMBL registers compounds by), then RDKit's `ChargeParent` for counter-ions the
  pipeline keeps (it leaves sodium benzoate whole);
- salts: the parent with common acids (hydrochloride, hydrobromide, sulfate, mesylate, maleate...) or with a
  cation in place of an acidic H (sodium, potassium, calcium and magnesium 2:1), in common ratios;
- hydrates (n H2O, n = 1/2 ... 10) and solvates of the structure, the parent and its commonest salts;
- protonation states (plus or minus 1-2 H+);
- stereoisomers (InChI and InChIKey): the mirror image, each epimer, the racemate or stereo-free structure;
- isotopes: the unlabelled structure, or n deuterium in place of H or n 13C in place of C (labelled standards,
  when the record says so).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cache

from rdkit import Chem, rdBase

from chemprops import checks as ck
from chemprops.formula import Formula
from chemprops.stereo import mirror_image
from chemprops.structure import parent, unlabelled

FIELDS = ("formula", "molar_mass", "exact_mass", "inchi", "inchikey")
MASS_FIELDS = ("formula", "molar_mass", "exact_mass")


@dataclass(frozen=True)
class Form:
    """A related form: what it is called, the words by which a source names it, its formula (and molecule when
    it is one structure, for InChI)."""

    name: str  # "hydrochloride", "monohydrate", "(R)-enantiomer", "parent (salt and solvent stripped)"
    kind: str  # parent, salt, hydrate, solvate, protonation, stereoisomer, isotopes
    formula: Formula
    mol: Chem.Mol | None = None
    words: tuple[str, ...] = field(default=())  # e.g. ("hydrochloride", "hcl"): the source names the form


# Acids a base is sold with: name, words, SMILES, ratios (acid per molecule; 1/2 = hemi-, one acid for two bases).
ACIDS = [
    ("hydrochloride", ("hydrochloride", "hcl"), "Cl", (1, 2, 3)),
    ("hydrobromide", ("hydrobromide", "hbr"), "Br", (1, 2)),
    ("sulfate", ("sulfate", "sulphate"), "OS(=O)(=O)O", (1, Fraction(1, 2))),
    ("mesylate", ("mesylate", "methanesulfonate", "mesilate"), "CS(=O)(=O)O", (1, 2)),
    ("maleate", ("maleate",), "OC(=O)/C=C\\C(=O)O", (1, Fraction(1, 2))),
    ("fumarate", ("fumarate",), "OC(=O)/C=C/C(=O)O", (1, Fraction(1, 2))),
    ("tartrate", ("tartrate", "bitartrate"), "OC(=O)C(O)C(O)C(=O)O", (1, Fraction(1, 2))),
    ("citrate", ("citrate",), "OC(=O)CC(O)(CC(=O)O)C(=O)O", (1,)),
    ("acetate", ("acetate",), "CC(=O)O", (1,)),
    ("tosylate", ("tosylate", "toluenesulfonate"), "Cc1ccc(S(=O)(=O)O)cc1", (1,)),
    ("besylate", ("besylate", "benzenesulfonate", "besilate"), "OS(=O)(=O)c1ccccc1", (1,)),
    ("phosphate", ("phosphate",), "OP(=O)(O)O", (1,)),
    ("succinate", ("succinate",), "OC(=O)CCC(=O)O", (1, Fraction(1, 2))),
    ("hydroiodide", ("hydroiodide", "hi"), "I", (1,)),
    ("nitrate", ("nitrate",), "O[N+](=O)[O-]", (1,)),
]
# Cations in place of acidic H: name, words, element symbol, charge (calcium: one ion for two acids).
CATIONS = [
    ("sodium salt", ("sodium",), "Na", 1),
    ("potassium salt", ("potassium",), "K", 1),
    ("calcium salt", ("calcium",), "Ca", 2),
    ("magnesium salt", ("magnesium",), "Mg", 2),
    ("lithium salt", ("lithium",), "Li", 1),
]
SOLVENTS = [
    ("methanol", "CO"), ("ethanol", "CCO"), ("isopropanol", "CC(C)O"), ("acetone", "CC(C)=O"),
    ("DMSO", "CS(C)=O"), ("ethyl acetate", "CCOC(C)=O"), ("dichloromethane", "ClCCl"), ("acetonitrile", "CC#N"),
]  # fmt: skip
HYDRATES = [Fraction(1, 2), 1, Fraction(3, 2), 2, Fraction(5, 2), 3, 4, 5, 6, 7, 8, 9, 10]
_HYDRATE_WORDS = {Fraction(1, 2): "hemihydrate", 1: "monohydrate", Fraction(3, 2): "sesquihydrate", 2: "dihydrate",
                  3: "trihydrate", 4: "tetrahydrate", 5: "pentahydrate", 6: "hexahydrate", 7: "heptahydrate",
                  8: "octahydrate", 9: "nonahydrate", 10: "decahydrate"}  # fmt: skip
_PREFIX = {Fraction(1, 2): "hemi", 1: "", 2: "di", 3: "tri"}
# An acidic O-H (carboxylic, sulfonic, phosphonic/phosphoric acid, tetrazole N-H): where a cation takes an H.
_ACIDIC = Chem.MolFromSmarts("[$([OX2H1]C=O),$([OX2H1]S(=O)=O),$([OX2H1]P=O),$([nH]1nnnc1),$([nH]1nncn1)]")


# A site that takes a proton (an amine, amidine or aromatic N that is not an amide, sulfonamide or nitro N) or
# gives one (an acid as above, a phenol).
_BASIC = Chem.MolFromSmarts(
    "[$([NX3;!$(N[C,S]=[O,S,N]);!$(N[a]);!$(N-[N+]=O);!$([N]-[O-])]),$([nX2;r5,r6]),$([NX2]=C-N)]"
)
_ACIDIC_ANY = Chem.MolFromSmarts("[$([OX2H1]C=O),$([OX2H1]S(=O)=O),$([OX2H1]P=O),$([OX2H1]c),$([nH]1nnnc1)]")


@cache
def _formula_of(smiles: str) -> Formula:
    return Formula.from_mol(Chem.MolFromSmiles(smiles))


def _combine(parts: list[tuple[Formula, Fraction | int]]) -> Formula:
    """n1 A + n2 B ...; a fractional total (a hemihydrate) is doubled: one formula unit of whole atoms."""
    scale = 1
    for _, n in parts:
        scale = max(scale, Fraction(n).denominator)
    counts: dict = {}
    charge = 0
    for formula, n in parts:
        k = int(Fraction(n) * scale)
        for key, c in formula.counts.items():
            counts[key] = counts.get(key, 0) + k * c
        charge += k * formula.charge
    if any(v < 0 for v in counts.values()):
        raise ValueError("a form cannot remove atoms the structure does not have")
    return Formula({k: v for k, v in counts.items() if v}, charge)


def _words_of(n: Fraction | int) -> str:
    return _HYDRATE_WORDS.get(Fraction(n), f"{n} H2O")


def _salts(base: Formula, mol: Chem.Mol | None) -> Iterator[Form]:
    for name, words, smiles, ratios in ACIDS:
        acid = _formula_of(smiles)
        for n in ratios:
            label = _PREFIX.get(Fraction(n), f"{n}:1 ") + name
            yield Form(label, "salt", _combine([(base, 1), (acid, n)]), None, (*words, label))
    acidic = len(mol.GetSubstructMatches(_ACIDIC)) if mol is not None else 0
    for name, words, symbol, charge in CATIONS:
        for sites in range(1, min(acidic, 2, base.counts.get(("H", 0), 0)) + 1):
            cation = Formula({(symbol, 0): 1}, 0)
            hydrogen = Formula({("H", 0): 1}, 0)
            if charge == 1:
                parts = [(base, 1), (hydrogen, -sites), (cation, sites)]
                label = name if sites == 1 else f"di{name}"
            elif sites == 1:  # one divalent ion for two molecules, each giving one H
                parts = [(base, 1), (hydrogen, -1), (cation, Fraction(1, 2))]
                label = f"{name} (2:1)"
            else:
                parts = [(base, 1), (hydrogen, -2), (cation, 1)]
                label = f"{name} (1:1)"
            yield Form(label, "salt", _combine(parts), None, words)


def _hydrates(base: Formula, of: str, words: tuple[str, ...], numbers=HYDRATES) -> Iterator[Form]:
    water = _formula_of("O")
    for n in numbers:
        name = f"{of} {_words_of(n)}".strip()
        yield Form(name, "hydrate", _combine([(base, 1), (water, n)]), None, (*words, _words_of(n), "hydrate"))


def _deuterated(mol: Chem.Mol, formula: Formula) -> Iterator[Form]:
    hydrogens = formula.counts.get(("H", 0), 0)
    for n in range(1, min(hydrogens, 12) + 1):
        counts = dict(formula.counts)
        counts[("H", 0)] = hydrogens - n
        counts[("H", 2)] = counts.get(("H", 2), 0) + n
        yield Form(f"d{n} (deuterated)", "isotopes", Formula({k: v for k, v in counts.items() if v}, formula.charge),
                   None, (f"d{n}", "deuterated", "deuterium"))  # fmt: skip


def _carbon13(formula: Formula) -> Iterator[Form]:
    carbons = formula.counts.get(("C", 0), 0)
    for n in range(1, min(carbons, 6) + 1):
        counts = dict(formula.counts)
        counts[("C", 0)] = carbons - n
        counts[("C", 13)] = counts.get(("C", 13), 0) + n
        yield Form(f"13C{n} (carbon-13 labelled)", "isotopes", Formula({k: v for k, v in counts.items() if v},
                   formula.charge), None, (f"13c{n}", "13c", "carbon-13"))  # fmt: skip


def mass_forms(mol: Chem.Mol) -> Iterator[Form]:
    """Forms with another formula than the structure's, most likely first."""
    own = Formula.from_mol(mol)
    top = parent(mol)
    base = Formula.from_mol(top) if top is not None else own
    if top is not None and base != own:
        yield Form("parent (salt and solvent stripped, neutralised)", "parent", base, top, ("free base", "free acid"))
    # a salt as sold is neutral: a permanent cation's parent (thiamine) plus an acid is no salt of it
    yield from (f for f in _salts(base, top if top is not None else mol) if f.formula.charge == 0)
    yield from _hydrates(own, "", ())
    if base != own:
        yield from _hydrates(base, "parent", ())
    for salt in (f for f in _salts(base, top) if f.name in ("hydrochloride", "sodium salt") and not f.formula.charge):
        yield from _hydrates(salt.formula, salt.name, salt.words, (1, 2, 3))
    for name, smiles in SOLVENTS:
        yield Form(f"{name} solvate", "solvate", _combine([(own, 1), (_formula_of(smiles), 1)]), None,
                   (name.lower(), "solvate"))  # fmt: skip
    # plus or minus H+ only where a site takes or gives one: a neutral hydride or metal salt one H off is an
    # error of the H count, not another protonation state
    hydrogen = Formula({("H", 0): 1}, 1)
    sites = {1: len(mol.GetSubstructMatches(_BASIC)), -1: len(mol.GetSubstructMatches(_ACIDIC_ANY))}
    for n in (1, 2, -1, -2):
        sign = "+" if n > 0 else "-"
        name = f"{'protonated' if n > 0 else 'deprotonated'} form ({sign}{abs(n)} H+)"
        if sites[1 if n > 0 else -1] >= abs(n) and own.counts.get(("H", 0), 0) + n >= 0:
            yield Form(name, "protonation", _combine([(own, 1), (hydrogen, n)]), None, ())
    plain = unlabelled(mol)
    if plain is not None:
        yield Form("unlabelled structure (isotopes stripped)", "isotopes", Formula.from_mol(plain), plain, ())
    else:  # labelled standards: tried only when the record names them (see explain)
        yield from _deuterated(mol, own)
        yield from _carbon13(own)


def _cip(mol: Chem.Mol) -> str:
    from rdkit.Chem import rdCIPLabeler

    copy = Chem.Mol(mol)
    try:
        rdCIPLabeler.AssignCIPLabels(copy, maxRecursiveIterations=1_000_000)
    except (RuntimeError, ValueError):
        return ""
    labels = [a.GetProp("_CIPCode") for a in copy.GetAtoms() if a.HasProp("_CIPCode")]
    return ",".join(labels)


def structure_forms(mol: Chem.Mol, same_constitution: bool | None = None) -> Iterator[Form]:
    """Forms with another standard InChI than the structure's: parent and salts (another constitution), or
    stereoisomers and the unlabelled structure (the same). `same_constitution`: whether the stated InChI or
    key has the structure's constitution (None: unknown, try both)."""
    if same_constitution is not True:
        top = parent(mol)
        if top is not None and Chem.MolToSmiles(top) != Chem.MolToSmiles(mol):
            yield Form("parent (salt and solvent stripped, neutralised)", "parent", Formula.from_mol(top), top,
                       ("free base", "free acid"))  # fmt: skip
        if top is not None:
            for name, words, smiles, _ in ACIDS[:3]:
                salt = Chem.MolFromSmiles(Chem.MolToSmiles(top) + "." + smiles)
                if salt is not None:
                    yield Form(name, "salt", Formula.from_mol(salt), salt, words)
    plain = unlabelled(mol)
    if plain is not None:
        yield Form("unlabelled structure (isotopes stripped)", "isotopes", Formula.from_mol(plain), plain, ())
    if same_constitution is False:
        return
    centres = [a.GetIdx() for a in mol.GetAtoms() if a.GetChiralTag() != Chem.ChiralType.CHI_UNSPECIFIED]
    formula = Formula.from_mol(mol)
    if centres:
        yield Form("enantiomer", "stereoisomer", formula, mirror_image(mol), ("enantiomer",))
        if len(centres) > 1:
            for idx in centres[:8]:
                epimer = Chem.Mol(mol)
                epimer.GetAtomWithIdx(idx).InvertChirality()
                yield Form(f"epimer at atom {idx + 1}", "stereoisomer", formula, epimer, ("epimer",))
        flat = Chem.Mol(mol)
        Chem.RemoveStereochemistry(flat)
        yield Form("structure without stereo (racemate or unspecified)", "stereoisomer", formula, flat,
                   ("racemate", "racemic", "rac", "(rs)", "(±)"))  # fmt: skip
    else:
        from chemprops.stereo import stereoisomers

        for isomer in stereoisomers(mol, limit=8):
            yield Form("stereoisomer", "stereoisomer", formula, isomer, ())


def _constitution(field_name: str, stated: object, facts: ck.Facts) -> bool | None:
    """Whether a stated InChI or key has the structure's constitution (formula and connections), if it can be told."""
    text = str(stated).strip()
    if field_name == "inchikey":
        key = text.upper()
        return key[:14] == facts.inchikey[:14] if len(key) >= 14 and facts.inchikey else None
    main = [p for p in text.split("/")[1:4] if p[:1] in "chC" or p[:1].isupper()]
    ours = [p for p in facts.inchi.split("/")[1:4] if p[:1] in "chC" or p[:1].isupper()]
    return main == ours if main and ours else None


def _labelled(form: Form) -> Form:
    """A stereoisomer named with its CIP labels, computed only for the form found."""
    if form.kind != "stereoisomer" or form.mol is None:
        return form
    labels = _cip(form.mol)
    if not labels:
        return form
    single = labels.count(",") == 0
    words = (*form.words, f"({labels})", *((rf"({labels.lower()})",) if single else ()))
    return Form(f"{form.name} ({labels})", form.kind, form.formula, form.mol, words)


def _facts_of(form: Form, facts: ck.Facts) -> ck.Facts:
    """Facts for a form: its formula always, its molecule (and so InChI) when it is one structure."""
    out = ck.Facts(form.mol if form.mol is not None else facts.mol, facts.kind, False, {}, False)
    out.__dict__["formula"] = form.formula  # cached_property: the form's formula, not the molecule's
    return out


def named(form: Form, fields: dict) -> bool:
    """Whether the record names this form (its name, synonyms or a salt field say "hydrochloride", ...)."""
    text = " ".join(str(v) for v in fields.values() if isinstance(v, str)).lower()
    prefix = r"(?<![a-z])(?:mono|di|tri|tetra|hemi|sesqui|bi)?"  # "monopotassium", "dihydrochloride"
    if any(re.search(rf"{prefix}{re.escape(w)}(?![a-z])", text) for w in form.words if w):
        return True
    labels = form.name.rsplit("(", 1)[-1].rstrip(")") if form.kind == "stereoisomer" else ""
    return bool(labels) and "," not in labels and bool(re.search(rf"\(\d*{labels.lower()}\)", text))


def explain(check: ck.Check, stated: object, facts: ck.Facts, ctx: ck.Context) -> Form | None:
    """The first related form whose value the stated one is (the failing check passes on it), or None."""
    if check.name not in FIELDS or facts.lenient:
        return None
    if check.name in ("molar_mass", "exact_mass") and not re.search(r"\.\d", str(stated)):
        return None  # "23000": without decimals a hydrate or salt cannot be told from an error
    if check.name in MASS_FIELDS:
        forms = mass_forms(facts.mol)
    else:
        forms = structure_forms(facts.mol, _constitution(check.name, stated, facts))
    with rdBase.BlockLogs():
        while True:
            try:
                form = next(forms)
            except StopIteration:
                return None
            except Exception:  # noqa: BLE001 - a form that cannot be made is skipped, the others still tried
                continue
            if form.kind == "isotopes" and form.mol is None and not named(form, facts.fields):
                continue  # n D for n H is 1.006 per atom, within reach of a plain H-count error: only when named
            try:
                out = check.function(stated, _facts_of(form, facts), ctx)
            except Exception:  # noqa: BLE001 - a form the check cannot handle is not the answer
                continue
            if out.status == ck.PASS:
                return _labelled(form)


def describe(form: Form, field_name: str, stated: object) -> str:
    """One sentence: the stated value is that of this form (with its formula and molar mass for a mass field)."""
    what = {"molar_mass": "molar mass", "exact_mass": "exact mass", "inchi": "InChI", "inchikey": "InChIKey"}
    label = what.get(field_name, field_name)
    if field_name in MASS_FIELDS:
        formula = form.formula
        return f"the stated {label} is that of the {form.name} ({formula.hill()}, {formula.molar_mass:.2f} g/mol)"
    return f"the stated {label} is that of the {form.name}"
