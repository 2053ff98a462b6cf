"""The verify report as one self-contained HTML page: a summary by check and status, a filterable table of
every record (status, check, text), and for each record that fails or warns its structure drawn beside the
stated and computed values (the difference marked), the message and the form.

Nothing is fetched: inline CSS, inline SVG, a few lines of JS. Every text from the input is HTML-escaped. The
page stays small on large files: one line per record in the table, details only for records that fail or warn,
structures drawn for the first MAX_DRAWN of them (fails first).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from chemprops import svg as svgtools

MAX_DRAWN = 200  # structures drawn (about 4 kB of SVG each)
MAX_DETAILS = 3000  # records shown in detail; the table lists every record
OPEN = 10  # the first records in detail are shown open
MAX_DRAW_ATOMS = 200  # larger structures are not drawn (RDKit's depiction is slow and unreadable there)
ORDER = {"fail": 0, "warn": 1, "skip": 2, "unverified": 3, "pass": 4, "": 5}
LISTED = ("fail", "warn", "skip")  # records listed in the table; the others are counted (a page of 19,239 lines
# would be most of the page's weight for records with nothing to look at)


@dataclass
class Collector:
    """What the page needs, gathered from the streamed rows: a line per record, the rows of the bad ones."""

    records: list[tuple[str, str, str]] = field(default_factory=list)  # id, worst status, checks that fail or warn
    counts: dict[str, int] = field(default_factory=dict)  # records by worst status
    details: list[tuple[str, str, list[dict]]] = field(default_factory=list)  # id, structure SMILES, bad rows

    def add(self, part: list[list[dict]]) -> None:
        for rows in part:
            if not rows:
                continue
            rid = str(rows[0]["id"])
            worst = min((r["status"] for r in rows), key=lambda s: ORDER.get(s, 5))
            bad = [r for r in rows if r["status"] in ("fail", "warn")]
            self.counts[worst] = self.counts.get(worst, 0) + 1
            if worst in LISTED:
                self.records.append((rid, worst, ", ".join(dict.fromkeys(r["check"] for r in bad))))
            if bad and len(self.details) < MAX_DETAILS:
                smiles = next((str(r["computed"]) for r in rows if r["check"] == "structure"), "")
                self.details.append((rid, smiles, [{k: r.get(k, "") for k in _FIELDS} for r in bad]))


_FIELDS = ("check", "stated", "computed", "status", "message", "form")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def printable(value: object) -> str:
    """Text of a value with control characters shown as \\xNN (they would hide or garble text)."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", "" if value is None else str(value))


def _text(value: object) -> str:
    return html.escape(printable(value))


def marked(stated: object, computed: object) -> tuple[str, str]:
    """Both values escaped, the part where they differ (after the common start and end) in <mark>."""
    a, b = printable(stated), printable(computed)
    if not a or not b or a == b:
        return html.escape(a), html.escape(b)
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    end = 0
    while end < min(len(a), len(b)) - start and a[-1 - end] == b[-1 - end]:
        end += 1

    def mark(text: str) -> str:
        middle = text[start : len(text) - end]
        return html.escape(text[:start]) + f"<mark>{html.escape(middle)}</mark>" + html.escape(text[len(text) - end :])

    return mark(a), mark(b)


def structure_svg(smiles: str, width: int = 260, height: int = 190) -> str:
    """The structure as inline SVG, or a short note why it is not drawn."""
    from rdkit import Chem, rdBase
    from rdkit.Chem.Draw import rdMolDraw2D

    with rdBase.BlockLogs():
        mol = Chem.MolFromSmiles(smiles) if smiles else None
        if mol is None:
            return '<p class="note">no structure to draw</p>'
        if mol.GetNumHeavyAtoms() > MAX_DRAW_ATOMS:
            return f'<p class="note">{mol.GetNumHeavyAtoms():,} atoms: not drawn</p>'
        try:
            drawer = rdMolDraw2D.MolDraw2DSVG(width, height, -1, -1, True)  # labels as <text>, not glyph paths
            drawer.drawOptions().clearBackground = False
            drawer.drawOptions().fixedBondLength = 30  # one scale: a lone NH4+ is not blown up to fill the box
            drawer.drawOptions().maxFontSize = 24
            rdMolDraw2D.PrepareAndDrawMolecule(drawer, mol)
            drawer.FinishDrawing()
        except Exception:  # noqa: BLE001 - a structure RDKit cannot depict still gets its values
            return '<p class="note">cannot be drawn</p>'
    svg = drawer.GetDrawingText()
    svg = svg[svg.index("<svg") :] if "<svg" in svg else svg
    return compact_svg(svg)


def compact_svg(svg: str) -> str:
    """RDKit's SVG with the same picture in a third of the bytes (see chemprops.svg)."""
    return svgtools.compact(svg)


_STYLE = """
body{font:14px/1.4 system-ui,sans-serif;margin:1rem auto;max-width:1100px;padding:0 .8rem;color:#222}
h1{font-size:1.4rem}table{border-collapse:collapse;margin:.5rem 0}td,th{border-bottom:1px solid #ddd;
padding:.2rem .5rem;text-align:left;vertical-align:top}th{background:#f4f4f4}.fail{color:#b00020;font-weight:600}
.warn{color:#a15c00;font-weight:600}.pass{color:#1b7f3b}.unverified{color:#2a6f97}.skip{color:#666}
mark{background:#ffe08a}.note{color:#666;font-size:.9em}details{border:1px solid #ddd;border-radius:6px;
margin:.5rem 0;padding:.3rem .6rem}summary{cursor:pointer}.rec{display:flex;flex-wrap:wrap;gap:1rem}
.rec svg{flex:0 0 auto;max-width:100%;height:auto}.rec table{flex:1 1 420px;min-width:0}code{word-break:break-all}
#filters{position:sticky;top:0;background:#fff;padding:.4rem 0;border-bottom:1px solid #ddd}
#records{max-height:28rem;overflow:auto;display:block}input,select{font:inherit;margin-right:.5rem}
h1{overflow-wrap:anywhere}table{display:block;overflow-x:auto;max-width:100%}
@media (max-width:600px){.rec table{font-size:.85em}td,th{padding:.2rem .3rem}}
"""

_SCRIPT = """
(function(){
  var s=document.getElementById('status'),c=document.getElementById('check'),q=document.getElementById('q');
  function keep(el){
    var st=el.getAttribute('data-status'),ch=el.getAttribute('data-checks')||'',t=el.textContent.toLowerCase();
    return (!s.value||st===s.value)&&(!c.value||(', '+ch+', ').indexOf(', '+c.value+', ')>=0)
      &&(!q.value||t.indexOf(q.value.toLowerCase())>=0);
  }
  function apply(){
    var n=0;document.querySelectorAll('[data-status]').forEach(function(el){
      var k=keep(el);el.style.display=k?'':'none';if(k&&el.tagName==='TR')n++;});
    document.getElementById('shown').textContent=n;
  }
  [s,c,q].forEach(function(el){el.addEventListener('input',apply);});
})();
"""


def page(outcome, collected: Collector, title: str = "chemprops verify") -> str:
    """The whole page."""
    summary = outcome.summary()
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in summary.columns)
    body = "".join(
        "<tr>" + "".join(f'<td class="{html.escape(str(c))}">{html.escape(str(v))}</td>' for c, v in row.items())
        + "</tr>"
        for row in summary.to_dict("records")
    )  # fmt: skip
    checks = sorted({c for _, _, cs in collected.records for c in cs.split(", ") if c})
    options = "".join(f'<option value="{_text(c)}">{_text(c)}</option>' for c in checks)
    statuses = "".join(f'<option value="{s}">{s}</option>' for s in LISTED)
    lines = "".join(
        f'<tr data-status="{_text(st)}" data-checks="{_text(cs)}"><td>{_text(rid)}</td>'
        f'<td class="{_text(st)}">{_text(st)}</td><td>{_text(cs)}</td></tr>'
        for rid, st, cs in collected.records
    )
    details = []
    order = sorted(
        range(len(collected.details)), key=lambda i: min(ORDER[r["status"]] for r in collected.details[i][2])
    )
    drawn = set(order[:MAX_DRAWN])
    for i, (rid, smiles, rows) in enumerate(collected.details):
        worst = min((r["status"] for r in rows), key=lambda s: ORDER.get(s, 5))
        cells = []
        for r in rows:
            stated, computed = marked(r["stated"], r["computed"])
            form = f'<br><span class="note">form: {_text(r["form"])}</span>' if r.get("form") else ""
            cells.append(
                f"<tr><td>{_text(r['check'])}</td><td><code>{stated}</code></td><td><code>{computed}</code></td>"
                f'<td class="{_text(r["status"])}">{_text(r["status"])}</td><td>{_text(r["message"])}{form}</td></tr>'
            )
        picture = structure_svg(smiles) if i in drawn else '<p class="note">structure not drawn (see the limit)</p>'
        checks_of = ", ".join(dict.fromkeys(r["check"] for r in rows))
        details.append(
            f'<details{" open" if i < OPEN else ""} data-status="{_text(worst)}" data-checks="{_text(checks_of)}">'
            f"<summary><b>{_text(rid)}</b> "
            f'<span class="{_text(worst)}">{_text(worst)}</span> {_text(checks_of)}</summary><div class="rec">'
            f"{picture}<table><tr><th>check</th><th>stated</th><th>computed</th><th>status</th><th>message</th></tr>"
            f"{''.join(cells)}</table></div></details>"
        )
    more = len([1 for _, st, _ in collected.records if st in ("fail", "warn")]) - len(collected.details)
    limit = f'<p class="note">{more:,} more records fail or warn: see the CSV report.</p>' if more > 0 else ""
    quiet = ", ".join(f"{collected.counts.get(s, 0):,} whose worst is {s}" for s in ("unverified", "pass")) or "none"
    counts = outcome.status_counts()
    line = ", ".join(f"{counts.get(s, 0):,} {s}" for s in ("pass", "fail", "warn", "unverified", "skip"))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title><style>{_STYLE}</style></head><body>
<h1>{html.escape(title)}</h1>
<p>{outcome.records:,} records, {outcome.rows:,} rows: {line}.</p>
<h2>By check and status</h2><table><tr>{head}</tr>{body}</table>
<div id="filters">status <select id="status"><option value="">any</option>{statuses}</select>
check <select id="check"><option value="">any</option>{options}</select>
<input id="q" type="search" placeholder="search id, check, value"> <span id="shown">{len(collected.records):,}</span>
records shown</div>
<h2>Records</h2><p class="note">Listed: the records with a fail, warn or skip. Not listed: {quiet}.</p>
<table id="records"><tr><th>id</th><th>status</th><th>fails and warns</th></tr>{lines}</table>
<h2>What fails or warns</h2>{"".join(details)}{limit}
<p class="note">Structures drawn by RDKit for the first {MAX_DRAWN} records that fail or warn (fails first);
the difference between stated and computed values is marked.</p>
<script>{_SCRIPT}</script></body></html>
"""
