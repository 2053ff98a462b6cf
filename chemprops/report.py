"""Files and figures of a comparison: CSV tables, a structure grid, a clustered similarity heatmap, the
BOILED-Egg plot and one self-contained HTML page (images embedded, every input name HTML-escaped).

Needs the `report` extra (matplotlib, scipy). Figures use matplotlib's Agg backend: no display needed.
"""

from __future__ import annotations

import base64
import html
import io
from pathlib import Path

import pandas as pd
from rdkit import Chem
from rdkit.Chem.Draw import rdMolDraw2D

from chemprops import rules
from chemprops.compare import Comparison
from chemprops.errors import DependencyError

CELL = (260, 220)  # structure grid cell, pixels
# Figures stay bounded for large sets (a 740-member set needed 24 GB): the grid shows the nearest MAX_GRID, the
# clustered heatmap is drawn up to MAX_HEATMAP members; the tables hold every member.
MAX_GRID, MAX_HEATMAP = 60, 150
COLUMNS = 5

# Colours for the pharmacological classes in the plots (tab10).
_CLASS_COLOURS = [
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
]


def _matplotlib():
    """matplotlib, used through its object API only: no pyplot state, no backend switch (a notebook keeps
    its inline backend; a script or a server needs no display)."""
    try:
        import matplotlib
        import matplotlib.figure
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise DependencyError("figures need matplotlib: pip install 'chemprops[report]'") from exc
    return matplotlib


def _hierarchy():
    try:
        from scipy.cluster import hierarchy
        from scipy.spatial.distance import squareform
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise DependencyError("the clustered heatmap needs scipy: pip install 'chemprops[report]'") from exc
    return hierarchy, squareform


# --- structures ---------------------------------------------------------------------------------------------
def core_atoms(comparison: Comparison) -> list[tuple[int, ...]]:
    """Atoms of each member to highlight: the series' core (the GABA backbone with its acid head), else the MCS."""
    cores = (comparison.series.core if comparison.series else "", comparison.mcs_smarts)
    queries = [Chem.MolFromSmarts(s) for s in cores if s]
    out = []
    for member in comparison.members:
        match: tuple[int, ...] = ()
        for query in queries:
            match = member.mol.GetSubstructMatch(query)
            if match:
                break
        out.append(match)
    return out


def structure_grid(comparison: Comparison, fmt: str = "svg") -> str | bytes:
    """All members in a grid, shared core highlighted, names as legends: SVG text or PNG bytes."""
    # at most MAX_GRID members, nearest to the reference first: a grid of hundreds is neither readable nor small
    nearest = set(comparison.table()["name"].head(MAX_GRID))
    chosen = [i for i, m in enumerate(comparison.members) if m.name in nearest]
    members = [comparison.members[i] for i in chosen]
    mols = [Chem.Mol(m.mol) for m in members]
    for mol in mols:
        rdMolDraw2D.PrepareMolForDrawing(mol)
    every = core_atoms(comparison)
    atoms = [list(every[i]) for i in chosen]
    bonds = []
    for mol, hit in zip(mols, atoms):
        hit_set = set(hit)
        bonds.append(
            [b.GetIdx() for b in mol.GetBonds() if b.GetBeginAtomIdx() in hit_set and b.GetEndAtomIdx() in hit_set]
        )
    rows = -(-len(mols) // COLUMNS)
    width, height = CELL[0] * min(COLUMNS, len(mols)), CELL[1] * rows
    cls = rdMolDraw2D.MolDraw2DSVG if fmt == "svg" else rdMolDraw2D.MolDraw2DCairo
    drawer = cls(width, height, CELL[0], CELL[1])
    options = drawer.drawOptions()
    options.legendFontSize = 16
    options.setHighlightColour((0.55, 0.8, 1.0, 1.0))
    legends = [m.name if len(m.name) <= 40 else m.name[:39] + "…" for m in members]
    drawer.DrawMolecules(mols, legends=legends, highlightAtoms=atoms, highlightBonds=bonds)
    drawer.FinishDrawing()
    return drawer.GetDrawingText()


# --- similarity heatmap -------------------------------------------------------------------------------------
def cluster_order(matrix: pd.DataFrame) -> list[str]:
    """Leaf order of average-linkage (UPGMA) clustering on 1 - Tanimoto."""
    hierarchy, squareform = _hierarchy()
    if len(matrix) < 3:
        return list(matrix.index)
    distance = (1.0 - matrix.to_numpy()).clip(min=0.0)
    distance = (distance + distance.T) / 2
    for i in range(len(distance)):
        distance[i, i] = 0.0
    tree = hierarchy.linkage(squareform(distance, checks=False), method="average")
    return [matrix.index[i] for i in hierarchy.leaves_list(tree)]


def heatmap_figure(comparison: Comparison, fingerprint: str = "morgan"):
    """Clustered Tanimoto heatmap (matplotlib Figure) with the dendrogram on top."""
    mpl = _matplotlib()
    hierarchy, squareform = _hierarchy()
    matrix = comparison.similarity[fingerprint]
    order = cluster_order(matrix)
    ordered = matrix.loc[order, order]
    n = len(order)
    size = max(6.0, 0.38 * n + 3)
    with mpl.rc_context({"text.parse_math": False}):
        fig = mpl.figure.Figure(figsize=(size + 1.5, size + 1.2))
        top = fig.add_axes((0.22, 0.80, 0.62, 0.14))
        ax = fig.add_axes((0.22, 0.05, 0.62, 0.74))
        bar = fig.add_axes((0.86, 0.05, 0.025, 0.74))
        if n >= 3:
            distance = (1.0 - matrix.to_numpy()).clip(min=0.0)
            distance = (distance + distance.T) / 2
            for i in range(n):
                distance[i, i] = 0.0
            tree = hierarchy.linkage(squareform(distance, checks=False), method="average")
            hierarchy.dendrogram(tree, ax=top, no_labels=True, color_threshold=0, above_threshold_color="#555555")
        top.axis("off")
        image = ax.imshow(ordered.to_numpy(), cmap="viridis", vmin=0, vmax=1, aspect="auto")
        ax.set_xticks(range(n), order, rotation=90, fontsize=9)
        ax.set_yticks(range(n), order, fontsize=9)
        for i, name in enumerate(order):
            if name == comparison.reference:
                ax.get_xticklabels()[i].set_fontweight("bold")
                ax.get_yticklabels()[i].set_fontweight("bold")
        fig.colorbar(image, cax=bar, label=f"Tanimoto ({fingerprint})")
        top.set_title(f"{fingerprint.capitalize()} Tanimoto similarity, average-linkage clustering", fontsize=11)
    return fig


# --- BOILED-Egg ---------------------------------------------------------------------------------------------
def egg_figure(comparison: Comparison):
    """The BOILED-Egg (Daina & Zoete 2016): WLOGP vs TPSA with the published white and yolk ellipses."""
    mpl = _matplotlib()
    from matplotlib.patches import Ellipse

    table = comparison.rules.merge(
        pd.DataFrame({"name": comparison.names, "class": [m.record.get("class", "") for m in comparison.members]}),
        on="name",
    )
    with mpl.rc_context({"text.parse_math": False}):
        fig = mpl.figure.Figure(figsize=(10, 7.5))
        ax = fig.subplots()
        ax.set_facecolor("#d9d9d9")
        for egg, colour, label in (
            (rules.EGG_WHITE, "white", "HIA (egg white)"),
            (rules.EGG_YOLK, "#ffd54f", "BBB (yolk)"),
        ):
            ax.add_patch(
                Ellipse(
                    (egg.tpsa, egg.wlogp),
                    egg.width,
                    egg.height,
                    angle=egg.angle,
                    facecolor=colour,
                    edgecolor="#555555",
                    lw=0.8,
                    label=label,
                    zorder=1,
                )
            )
        classes = sorted({c for c in table["class"]})
        for i, cls in enumerate(classes):
            part = table[table["class"] == cls]
            ax.scatter(
                part["tpsa_sp"],
                part["wlogp"],
                s=45,
                zorder=3,
                color=_CLASS_COLOURS[i % 10],
                edgecolor="black",
                lw=0.5,
                label=cls or "(no class)",
            )
        for (x, y), (label_x, label_y), names in _egg_labels(table):
            weight = "bold" if comparison.reference in names else "normal"
            ax.annotate(
                ", ".join(names),
                (x, y),
                xytext=(label_x, label_y),
                textcoords="data",
                fontsize=8,
                fontweight=weight,
                zorder=4,
                va="center",
                arrowprops={"arrowstyle": "-", "color": "#777777", "lw": 0.5},
            )
        ax.set_xlim(min(-10, table["tpsa_sp"].min() - 10), max(200, table["tpsa_sp"].max() + 10))
        ax.set_ylim(min(-4, table["wlogp"].min() - 0.5), max(8, table["wlogp"].max() + 0.5))
        ax.set_xlabel("TPSA (Å², N, O, S and P polar)")
        ax.set_ylabel("WLOGP (Wildman-Crippen logP)")
        ax.set_title("BOILED-Egg: gut absorption (white) and brain penetration (yolk), Daina & Zoete 2016")
        ax.legend(loc="upper right", fontsize=8, framealpha=0.9)
    return fig


def _egg_labels(table: pd.DataFrame, gap: float = 0.24, dx: float = 4.0):
    """Label positions that do not overlap: members at one point share a label; crowded labels are pushed
    up in steps of `gap` (WLOGP units) within columns of points less than 12 Å² apart."""
    points: dict[tuple[float, float], list[str]] = {}
    for _, row in table.iterrows():
        points.setdefault((round(row["tpsa_sp"], 1), round(row["wlogp"], 2)), []).append(row["name"])
    out = []
    placed: list[tuple[float, float]] = []  # (x, label y) of labels already placed
    for (x, y), names in sorted(points.items(), key=lambda item: (item[0][1], item[0][0])):
        label_y = y
        while any(abs(px - x) < 12 and abs(py - label_y) < gap for px, py in placed):
            label_y += gap
        placed.append((x, label_y))
        out.append(((x, y), (x + dx, label_y), names))
    return out


def _figure_bytes(fig, fmt: str) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format=fmt, dpi=110, bbox_inches="tight")
    return buffer.getvalue()


# --- HTML ---------------------------------------------------------------------------------------------------
def _img(data: bytes, mime: str, alt: str) -> str:
    encoded = base64.b64encode(data).decode("ascii")
    return f'<img alt="{html.escape(alt)}" src="data:{mime};base64,{encoded}">'


def _number(x: float) -> str:
    """Up to 4 decimals, trailing zeros dropped: 213.661, 0.7, 10.556, 1."""
    return f"{x:.4f}".rstrip("0").rstrip(".")


def _table_html(frame: pd.DataFrame) -> str:
    table = frame.to_html(index=False, escape=True, na_rep="", float_format=_number, border=0)
    return f'<div class="scroll">{table}</div>'


_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em; color: #222; max-width: 1500px; }
h1 { font-size: 1.6em; } h2 { margin-top: 1.6em; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; font-size: 0.82em; margin: 0.5em 0; }
th, td { padding: 3px 7px; border-bottom: 1px solid #e3e3e3; text-align: left; }
th { background: #f3f3f3; position: sticky; top: 0; } tr:hover td { background: #fafae0; }
.scroll { overflow-x: auto; max-width: 100%; }
img { max-width: 100%; border: 1px solid #ddd; } .note { color: #555; font-size: 0.9em; } code { background: #f3f3f3; }
"""


def html_report(comparison: Comparison, figures: dict[str, bytes]) -> str:
    """One self-contained page: summary, ranked table, figures, R-groups, rules, descriptors, matrix."""
    esc = html.escape
    table = comparison.table()
    ranked = comparison.ranked()
    rule_cols = [
        "name",
        "lipinski",
        "veber",
        "ghose",
        "egan",
        "cns_mpo",
        "mpo_clogp",
        "mpo_clogd",
        "mpo_mw",
        "mpo_tpsa",
        "mpo_hbd",
        "mpo_pka",
        "pka_base",
        "pka_method",
        "logd_7_4",
        "boiled_egg",
        "lipinski_violations",
        "veber_violations",
        "ghose_violations",
        "egan_violations",
    ]
    series = comparison.series
    rgroup_cols = ["name", "class", *(series.columns if series else [])]
    skipped = "".join(f"<li>{esc(entry)}: {esc(reason)}</li>" for entry, reason in comparison.skipped)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>chemprops compare: {esc(comparison.reference)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>How {esc(comparison.reference)} compares to {len(comparison.members) - 1} relatives</h1>",
        f'<p class="note">Reference: <b>{esc(comparison.reference)}</b>. Similarity: Tanimoto on Morgan '
        "fingerprints (radius 2, 2048 bits, no stereo), MACCS keys and atom pairs. Shared core (highlighted): "
        f"maximum common substructure <code>{esc(comparison.mcs_smarts)}</code> found in "
        f"{comparison.mcs_count} of {len(comparison.members)} structures"
        + (f"; the {esc(series.title)} <code>{esc(series.core)}</code> first." if series else ".")
        + "</p>",
        "<h2>Nearest to the reference</h2>",
        _table_html(ranked),
        "<h2>Structures</h2>",
        _img(figures["structures.png"], "image/png", "structure grid"),
        "<h2>Similarity (Morgan, clustered)</h2>",
        _img(figures["similarity_heatmap.png"], "image/png", "similarity heatmap")
        if "similarity_heatmap.png" in figures
        else f'<p class="note">Not drawn for {len(comparison.members)} structures (at most {MAX_HEATMAP}); the '
        "matrix is in similarity.csv.</p>",
        "<h2>BOILED-Egg</h2>",
        '<p class="note">Daina &amp; Zoete, ChemMedChem 11, 1117 (2016): inside the yolk, predicted to cross '
        "the blood-brain barrier; inside the white, predicted to be absorbed from the gut. WLOGP = "
        "Wildman-Crippen logP; TPSA counts N, O, S and P as polar, as SwissADME does.</p>",
        _img(figures["boiled_egg.png"], "image/png", "BOILED-Egg plot"),
    ]
    if series:
        parts += [
            f"<h2>R-groups on the {esc(series.title)}</h2>",
            f'<p class="note">{esc(series.description)} <code>*</code> marks the attachment.</p>',
            _table_html(table[rgroup_cols]),
        ]
    parts += [
        "<h2>Drug-likeness and CNS rules</h2>",
        '<p class="note">Lipinski 1997 (at most one violation), Veber 2002, Ghose 1999, Egan 2000; CNS MPO '
        "(Wager 2010, 0-6; &ge; 4 desirable) with Wildman-Crippen logP for ClogP, logD at pH 7.4 by "
        "Henderson-Hasselbalch, pKa of the most basic centre from the record or from a group table.</p>",
        _table_html(table[rule_cols]),
        "<h2>Descriptors</h2>",
        _table_html(comparison.descriptors),
        "<h2>Morgan similarity matrix</h2>",
        _table_html(comparison.similarity["morgan"].reset_index()),
    ]
    if skipped:
        parts += ["<h2>Skipped input</h2>", f"<ul>{skipped}</ul>"]
    parts.append("</body></html>")
    return "\n".join(parts)


def write(comparison: Comparison, outdir: str | Path) -> dict[str, Path]:
    """Write compare.csv, similarity.csv, the figures (PNG and SVG) and report.html into `outdir`."""
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    files: dict[str, bytes] = {}
    files["compare.csv"] = comparison.table().to_csv(index=False).encode("utf-8")
    files["similarity.csv"] = comparison.similarity["morgan"].to_csv().encode("utf-8")
    files["similarity_maccs.csv"] = comparison.similarity["maccs"].to_csv().encode("utf-8")
    files["structures.svg"] = structure_grid(comparison, "svg").encode("utf-8")
    files["structures.png"] = structure_grid(comparison, "png")
    figures = [("boiled_egg", egg_figure)]
    if len(comparison.members) <= MAX_HEATMAP:  # its size grows with the square of the set
        figures.insert(0, ("similarity_heatmap", heatmap_figure))
    for name, make in figures:
        fig = make(comparison)
        files[f"{name}.png"] = _figure_bytes(fig, "png")
        files[f"{name}.svg"] = _figure_bytes(fig, "svg")
    files["report.html"] = html_report(comparison, files).encode("utf-8")
    paths = {}
    for name, data in files.items():
        path = outdir / name
        path.write_bytes(data)
        paths[name] = path
    return paths
