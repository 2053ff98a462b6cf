"""Import stated chemical data from the two forms it is published in: a rendered infobox as plain text, and
Wikipedia `{{Infobox drug}}` / `{{Drugbox}}` / `{{Chembox}}` wikitext. Each gives a plain record dict with the
field names `verify` reads (formula, molar_mass, cas, pubchem_cid, iupac_name, smiles, inchikey, ...).

Wikitext is read with mwparserfromhell (templates, links, refs, comments), never with regexes over the page.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from chemprops.errors import InputError, ParseError
from chemprops.formats import Format, Rows, register
from chemprops.formula import Formula
from chemprops.structure import mol_from_smiles
from chemprops.weights import IUPAC_2021

# A whole Wikipedia drug article has a few hundred tags (refs); mwparserfromhell needs 1.3 s for 4,000 unclosed
# ones and grows with their square (82 s for 40,000), so a page with more is refused.
MAX_WIKITEXT_TAGS = 5000

# --- wikitext ---------------------------------------------------------------------------------------------
_INFOBOX_NAMES = ("infobox drug", "drugbox", "chembox", "infobox chemical")

# template parameter -> record field (Infobox drug and Chembox spellings; lower-cased, spaces as "_")
_WIKI_FIELDS = {
    "iupac_name": "iupac_name",
    "iupacname": "iupac_name",
    "systematicname": "iupac_name",
    "cas_number": "cas",
    "casno": "cas",
    "cas_number2": "cas_other",
    "casno_other": "cas_other",
    "pubchem": "pubchem_cid",
    "pubchemcid": "pubchem_cid",
    "drugbank": "drugbank",
    "chemspiderid": "chemspider",
    "chemspider": "chemspider",
    "unii": "unii",
    "kegg": "kegg",
    "chebi": "chebi",
    "chembl": "chembl",
    "smiles": "smiles",
    "stdinchi": "inchi",
    "inchi": "inchi",
    "stdinchikey": "inchikey",
    "inchikey": "inchikey",
    "formula": "formula",
    "chemical_formula": "formula",
    "molecular_weight": "molar_mass",
    "molarmass": "molar_mass",
    "molar_mass": "molar_mass",
    "exact_mass": "exact_mass",
    "chirality": "stereo",
    "drug_name": "name",
    "name": "name",
    "tradename": "trade_names",
    "synonyms": "synonyms",
    "othernames": "synonyms",
    "bioavailability": "bioavailability",
    "protein_bound": "protein_binding",
    "metabolism": "metabolism",
    "elimination_half-life": "half_life",
    "excretion": "excretion",
    "routes_of_administration": "routes",
    "pregnancy_category": "pregnancy_category",
    "pregnancy_us": "pregnancy_category_us",
    "legal_status": "legal_status",
    "legal_us": "legal_status_us",
}
# Inline templates whose content is the value itself ({{val|213.66|u=g/mol}}, {{nowrap|...}}, {{chem|...}}).
_KEEP_CONTENT = {"val", "nowrap", "chem", "chem2", "ubl", "unbulleted list", "plainlist", "hlist", "abbr", "sub", "sup"}


def _clean(value) -> str:
    """Text of a template parameter: refs and comments dropped, links as text, inline templates unwrapped."""
    import mwparserfromhell

    code = mwparserfromhell.parse(str(value))
    for tag in code.filter_tags(recursive=True):
        if str(tag.tag).strip().lower() in ("ref", "references"):
            try:
                code.remove(tag)
            except ValueError:
                pass
    for comment in code.filter_comments():
        try:
            code.remove(comment)
        except ValueError:
            pass
    for template in code.filter_templates(recursive=False):
        name = str(template.name).strip().lower()
        if name in _KEEP_CONTENT:
            parts = [p.value.strip_code().strip() for p in template.params if not p.showkey]
            unit = next((p.value.strip_code().strip() for p in template.params if str(p.name).strip() == "u"), "")
            text = " ".join(x for x in parts if x) if name != "val" else " ".join(x for x in (parts[:1] + [unit]) if x)
            code.replace(template, text)
    text = code.strip_code(normalize=True, collapse=True)
    text = re.sub(r"\s+", " ", text.replace("''", "")).strip()
    return text


def _infobox_templates(code) -> list:
    return [
        t
        for t in code.filter_templates(recursive=True)
        if str(t.name).strip().lower().replace("_", " ").startswith(_INFOBOX_NAMES)
    ]


def parse_wikitext(text: str, source: str | None = None) -> dict:
    """A record from the first drug or chemical infobox of a wikitext page (Chembox sections included)."""
    import mwparserfromhell

    tags = text.count("<")
    if tags > MAX_WIKITEXT_TAGS:  # the parser's time grows with the square of unclosed tags
        raise InputError(
            f"{source or 'wikitext'}: {tags:,} tags, more than a page holds (at most {MAX_WIKITEXT_TAGS:,})"
        )
    code = mwparserfromhell.parse(text)
    templates = _infobox_templates(code)
    if not templates:
        raise ParseError("no {{Infobox drug}}, {{Drugbox}} or {{Chembox}} template in the wikitext", source)
    record: dict = {}
    counts: dict[str, int] = {}
    atc: dict[str, str] = {}
    charge = 0
    for template in templates:
        for param in template.params:
            key = str(param.name).strip().lower().replace(" ", "_")
            value = _clean(param.value)
            if not value:
                continue
            if key in IUPAC_2021 or key.capitalize() in IUPAC_2021 and len(key) <= 2:
                symbol = str(param.name).strip()
                if symbol in IUPAC_2021 and re.fullmatch(r"\d+", value):
                    counts[symbol] = int(value)
                    continue
            if key in ("atc_prefix", "atccode_prefix"):
                atc["prefix"] = value
            elif key in ("atc_suffix", "atccode_suffix"):
                atc["suffix"] = value
            elif key == "charge":
                charge = int(value.replace("−", "-")) if re.fullmatch(r"[+\-−]?\d+", value) else 0
            elif key in _WIKI_FIELDS and _WIKI_FIELDS[key] not in record:
                record[_WIKI_FIELDS[key]] = value
    if counts and "formula" not in record:
        record["formula"] = Formula({(s, 0): n for s, n in counts.items()}, charge).hill()
    if atc.get("prefix") and atc.get("suffix") and atc["prefix"].lower() != "none":
        record["atc"] = atc["prefix"] + atc["suffix"]
    # Wikipedia writes StdInChI without its "InChI=" prefix
    if "inchi" in record and re.match(r"1S?/", record["inchi"]):
        record["inchi"] = "InChI=" + record["inchi"]
    if "name" not in record:
        bold = next((t for t in code.filter_tags(recursive=False) if t.wiki_markup == "'''"), None)
        if bold is not None and bold.contents.strip_code().strip():
            record["name"] = bold.contents.strip_code().strip()
    if source:
        record["source"] = source
    return record


# --- rendered infobox text --------------------------------------------------------------------------------
# Labels as the rendered infobox prints them (old and new renderings), longest first where one prefixes another.
_TEXT_LABELS = [
    ("Systematic (IUPAC) name", "iupac_name"),
    ("IUPAC name", "iupac_name"),
    ("CAS number", "cas"),
    ("CAS Number", "cas"),
    ("ATC code", "atc"),
    ("PubChem CID", "pubchem_cid"),
    ("PubChem", "pubchem_cid"),
    ("DrugBank", "drugbank"),
    ("ChemSpider", "chemspider"),
    ("UNII", "unii"),
    ("KEGG", "kegg"),
    ("ChEBI", "chebi"),
    ("ChEMBL", "chembl"),
    ("Chemical formula", "formula"),
    ("Formula", "formula"),
    ("Mol. mass", "molar_mass"),
    ("Molar mass", "molar_mass"),
    ("SMILES", "smiles"),
    ("InChI", "inchi"),
    ("Bioavailability", "bioavailability"),
    ("Protein binding", "protein_binding"),
    ("Metabolism", "metabolism"),
    ("Elimination half-life", "half_life"),
    ("Half life", "half_life"),
    ("Excretion", "excretion"),
    ("Pregnancy cat.", "pregnancy_category"),
    ("Pregnancy category", "pregnancy_category"),
    ("Legal status", "legal_status"),
    ("Routes of administration", "routes"),
    ("Routes", "routes"),
    ("Trade names", "trade_names"),
    ("Synonyms", "synonyms"),
    ("Chirality", "stereo"),
]
_SECTION_HEADINGS = {
    "Chemical data",
    "Pharmacokinetic data",
    "Therapeutic considerations",
    "Identifiers",
    "Clinical data",
    "Physical data",
    "Legal status",
}
_STEREO_RE = re.compile(r"racem|enantiomer|mixture|\(RS\)|\(±\)", re.I)


def parse_infobox_text(text: str, source: str | None = None) -> dict:
    """A record from a rendered infobox ("Formula C 10H12ClNO2", "Mol. mass 213.661 g/mol", ...).

    The infobox is the block of short lines before the article's prose; a label whose value sits on the next
    line ("Systematic (IUPAC) name") takes that line.
    """
    lines = [" ".join(line.split()) for line in text.splitlines()]  # also turns no-break spaces into spaces
    record: dict = {}
    title = next((line for line in lines if line), "")
    if title:
        record["name"] = re.sub(r"\s*:\s*Wikis?$", "", title).strip()
    start = next((i + 1 for i, line in enumerate(lines) if line.startswith("From Wikipedia")), 0)
    found_label = False
    pending: str | None = None
    for line in lines[start:]:
        if not line:
            continue
        if found_label and (len(line) > 200 or "(verify)" in line):
            break  # end of the infobox: the article's prose begins
        if pending:
            record.setdefault(pending, line)
            pending = None
            continue
        if line in _SECTION_HEADINGS:
            continue
        for label, field in _TEXT_LABELS:
            if line == label:
                pending, found_label = field, True
                break
            if line.startswith(label + " "):
                value = line[len(label) :].strip()
                if label == "Legal status" and not value:
                    break
                record.setdefault(field, value)
                found_label = True
                break
        else:
            if not found_label and _STEREO_RE.search(line) and len(line) < 80:
                record.setdefault("stereo", line)
    if not found_label:
        raise ParseError("no infobox fields (e.g. 'CAS number', 'Formula', 'Mol. mass') found in the text", source)
    # "SMILES eMolecules & PubChem": the rendering kept only the link labels, not a SMILES
    if "smiles" in record and not _looks_like_smiles(record["smiles"]):
        record["smiles_note"] = record.pop("smiles")
    if source:
        record["source"] = source
    return record


def _looks_like_smiles(text: str) -> bool:
    if " " in text.strip():
        return False
    try:
        mol_from_smiles(text)
    except ParseError:
        return False
    return True


# --- files ------------------------------------------------------------------------------------------------
def is_wikitext(text: str) -> bool:
    lowered = text.lower()
    return "{{" in text and any("{{" + name in lowered.replace("{{ ", "{{") for name in _INFOBOX_NAMES)


def is_infobox_text(text: str) -> bool:
    """Whether plain text holds a rendered infobox: at least two of its labels at the start of lines."""
    labels = {label for label, _ in _TEXT_LABELS}
    starts = [" ".join(line.split()) for line in text.splitlines()]
    hits = {label for label in labels for line in starts if line == label or line.startswith(label + " ")}
    return len(hits) >= 2


def import_file(path: str | Path) -> dict:
    """A record from a wikitext page or a rendered infobox text, whichever the file holds."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from exc
    return import_text(text, str(path))


def import_text(text: str, source: str | None = None) -> dict:
    """A record from the text of a wikitext page or a rendered infobox, whichever it is."""
    if is_wikitext(text):
        return parse_wikitext(text, source=source)
    return parse_infobox_text(text, source=source)


def _read_published(handle: BinaryIO, chunk_size: int) -> Iterator[Rows]:
    text = handle.read().decode("utf-8", errors="replace")
    yield Rows.from_records([import_text(text, getattr(handle, "name", None) or None)])


register(Format("wikitext", (".wiki", ".wikitext", ".mediawiki"), "{{Infobox drug}}/{{Chembox}} wikitext",
                _read_published, table=False, sniff=is_wikitext))  # fmt: skip
register(Format("infobox", (), "a rendered infobox as text (label, value per line)", _read_published, table=False,
                sniff=is_infobox_text))  # fmt: skip


def write_record(record: dict, path: str | Path | None) -> str:
    """The record as TOML (or JSON/YAML by the output's extension); written to `path` when given."""
    import json

    import tomli_w
    import yaml

    suffix = Path(path).suffix.lower() if path else ".toml"
    clean = {k: v for k, v in record.items() if v not in (None, "")}
    if suffix == ".json":
        text = json.dumps(clean, indent=2, ensure_ascii=False) + "\n"
    elif suffix in (".yaml", ".yml"):
        text = yaml.safe_dump(clean, allow_unicode=True, sort_keys=False)
    else:
        text = tomli_w.dumps(clean)
    if path:
        Path(path).write_text(text, encoding="utf-8")
    return text
