"""Files and figures of a comparison: CSV tables, a structure grid, a clustered similarity heatmap, the
BOILED-Egg plot and one self-contained HTML page (images embedded, every input name HTML-escaped).

Needs the `report` extra (matplotlib, scipy). Figures use matplotlib's Agg backend: no display needed.
"""

from __future__ import annotations

import html
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from rdkit import Chem, rdBase
from rdkit.Chem import rdDepictor, rdMolAlign
from rdkit.Chem.Draw import rdMolDraw2D

from chemprops import rules
from chemprops import svg as svgtools
from chemprops.compare import Comparison, Member
from chemprops.descriptors import registry
from chemprops.errors import DependencyError

CARD = (320, 260)  # one structure, pixels (the grid's cell, a card on the page)
BOND = 32  # fixed bond length, pixels: every member at one scale
MAX_DRAW_ATOMS = 250  # larger structures are not drawn (slow, unreadable)
_HIGHLIGHT = (0.76, 0.89, 1.0, 1.0)  # light blue under the core's bonds
_PALETTE = {15: (0.8, 0.35, 0.0), 16: (0.55, 0.45, 0.0)}  # P and S darker than RDKit's: legible on the highlight
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
def _core_query(comparison: Comparison) -> Chem.Mol | None:
    """The core the structures are aligned on and highlighted with: the series' core, else the MCS."""
    for smarts in (comparison.series.core if comparison.series else "", comparison.mcs_smarts):
        query = Chem.MolFromSmarts(smarts) if smarts else None
        if query is not None and query.GetNumAtoms():
            return query
    return None


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


def ranked_members(comparison: Comparison, limit: int | None = None) -> list[tuple[Member, dict]]:
    """Members in rank order (the reference first) with their row of `table()`, the nearest `limit` only."""
    by_name = {m.name: m for m in comparison.members}
    rows = comparison.table().head(limit).to_dict("records")
    return [(by_name[row["name"]], row) for row in rows]


def depictions(comparison: Comparison, members: list[Member]) -> list[Chem.Mol]:
    """2D coordinates for `members` with the shared core laid out as in the reference (CoordGen, the core of the
    reference as template), so that the backbone of every analogue points the same way."""
    core = _core_query(comparison)
    previous = rdDepictor.GetPreferCoordGen()
    rdDepictor.SetPreferCoordGen(True)
    try:
        mols = [Chem.Mol(m.mol) for m in members]
        template = None
        by_name = {m.name: m.mol for m in comparison.members}
        # the reference, or the nearest member that holds the core
        for candidate in [by_name[comparison.reference], *mols]:
            if core is not None and candidate.HasSubstructMatch(core) and candidate.GetNumAtoms() <= MAX_DRAW_ATOMS:
                template = Chem.Mol(candidate)
                rdDepictor.Compute2DCoords(template)
                break
        for mol in mols:
            if mol.GetNumAtoms() > MAX_DRAW_ATOMS:
                continue
            if template is not None and mol.HasSubstructMatch(core):
                _align(mol, template, core)
            else:
                rdDepictor.Compute2DCoords(mol)
    finally:
        rdDepictor.SetPreferCoordGen(previous)
    return mols


def _align(mol: Chem.Mol, template: Chem.Mol, core: Chem.Mol) -> None:
    """Lay `mol` out with its core where the template's is: CoordGen held to the template's core atoms, else to
    its inner atoms only (CoordGen leaves saclofen's and phaclofen's whole core elsewhere: their tetrahedral S and
    P do not take a carboxyl's shape), keeping the layout whose inner core lies nearest (a ring can bend the
    core: gabapentin's C3 is a ring atom); else its own layout turned (or flipped) onto the template's core."""
    hit, ref_hit = mol.GetSubstructMatch(core), template.GetSubstructMatch(core)
    inner = [k for k, atom in enumerate(core.GetAtoms()) if atom.GetDegree() > 1] or list(range(len(hit)))
    target = template.GetConformer()
    best, best_off = None, 1.0  # off by less than a bond length
    with rdBase.BlockLogs():
        for held in (range(len(hit)), inner):
            trial = Chem.Mol(mol)
            try:
                atom_map = [(ref_hit[k], hit[k]) for k in held]
                rdDepictor.GenerateDepictionMatching2DStructure(trial, template, atomMap=atom_map)
            except ValueError:  # the core's shape cannot be kept
                continue
            placed = trial.GetConformer()
            off = max((placed.GetAtomPosition(hit[k]) - target.GetAtomPosition(ref_hit[k])).Length() for k in inner)
            if off < best_off:
                best, best_off = placed, off
            if off < 0.1:
                break
        if best is not None:
            mol.RemoveAllConformers()
            mol.AddConformer(best, assignId=True)
            return
        rdDepictor.Compute2DCoords(mol)
        rdMolAlign.AlignMol(mol, template, atomMap=list(zip(hit, ref_hit)))
    conformer = mol.GetConformer()
    for i in range(conformer.GetNumAtoms()):  # a flip through the plane leaves z at 0 up to rounding
        point = conformer.GetAtomPosition(i)
        conformer.SetAtomPosition(i, (point.x, point.y, 0.0))


def _highlight_bonds(mol: Chem.Mol, atoms: tuple[int, ...]) -> list[int]:
    hit = set(atoms)
    return [b.GetIdx() for b in mol.GetBonds() if b.GetBeginAtomIdx() in hit and b.GetEndAtomIdx() in hit]


def _drawer(cls, width: int, height: int, panel_w: int = -1, panel_h: int = -1, glyphs: bool = True):
    """A drawer with the report's options. `glyphs` False: SVG text as <text>, not FreeType outlines (a fifth of
    the bytes), for atom labels only: RDKit writes such text byte by byte, which breaks non-ASCII legends."""
    drawer = cls(width, height, panel_w, panel_h) if glyphs else cls(width, height, panel_w, panel_h, True)
    options = drawer.drawOptions()
    options.fixedBondLength = BOND  # one scale for every member; a larger one is shrunk to fit
    options.minFontSize = 14
    options.legendFontSize = 17
    options.setHighlightColour(_HIGHLIGHT)
    options.updateAtomPalette(_PALETTE)
    options.highlightBondWidthMultiplier = 10
    options.padding = 0.08
    return drawer


def molecule_svg(mol: Chem.Mol, core: tuple[int, ...] = (), size: tuple[int, int] = CARD) -> str:
    """One structure as a compact inline SVG, the core's bonds highlighted under them. Only bonds are
    highlighted: a highlighted atom is drawn in black on a disc that hides N, O, P and S labels."""
    if mol.GetNumAtoms() > MAX_DRAW_ATOMS or not mol.GetNumConformers():
        return f'<p class="note">not drawn: {mol.GetNumAtoms():,} atoms</p>'
    drawer = _drawer(rdMolDraw2D.MolDraw2DSVG, *size, glyphs=False)
    with rdBase.BlockLogs():
        rdMolDraw2D.PrepareAndDrawMolecule(drawer, mol, highlightAtoms=[], highlightBonds=_highlight_bonds(mol, core))
    drawer.FinishDrawing()
    return compact_svg(drawer.GetDrawingText())


def rgroup_svg(smiles: str) -> str:
    """An R-group drawn small, its attachment point(s) as wavy bonds."""
    mol = Chem.MolFromSmiles(smiles) if smiles else None
    if mol is None or mol.GetNumAtoms() > MAX_DRAW_ATOMS:
        return f"<code>{html.escape(smiles)}</code>"
    drawer = rdMolDraw2D.MolDraw2DSVG(-1, -1, -1, -1, True)  # a canvas the size of the group
    options = drawer.drawOptions()
    options.dummiesAreAttachments = True
    options.updateAtomPalette(_PALETTE)
    options.fixedBondLength = 18
    options.minFontSize = 12
    options.padding = 0.12
    options.clearBackground = False
    with rdBase.BlockLogs():
        rdMolDraw2D.PrepareAndDrawMolecule(drawer, mol)
    drawer.FinishDrawing()
    return compact_svg(drawer.GetDrawingText(), title=smiles, sized=True)


def labelled_core_svg(smiles: str) -> str:
    """An MCS core with its positions drawn as R1, R2...: where each R-group column sits."""
    mol = Chem.MolFromSmiles(smiles) if smiles else None
    if mol is None:
        return ""
    for atom in mol.GetAtoms():
        if atom.GetAtomicNum() == 0 and atom.GetAtomMapNum():
            atom.SetProp("atomLabel", f"R{atom.GetAtomMapNum()}")
            atom.SetAtomMapNum(0)
    drawer = rdMolDraw2D.MolDraw2DSVG(-1, -1, -1, -1, True)
    options = drawer.drawOptions()
    options.fixedBondLength = 30
    options.minFontSize = 14
    options.updateAtomPalette(_PALETTE)
    with rdBase.BlockLogs():
        rdMolDraw2D.PrepareAndDrawMolecule(drawer, mol)
    drawer.FinishDrawing()
    return compact_svg(drawer.GetDrawingText(), title=smiles, sized=True)


def compact_svg(svg: str, title: str = "", sized: bool = False) -> str:
    """RDKit's SVG for inlining: no XML prolog, no classes, coordinates to 0.1 px, sized by CSS from its viewBox
    unless `sized` (then its own size); `title` (escaped) as its tooltip."""
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<!--.*?-->", "", svg, flags=re.S)
    svg = svgtools.compact(svg)
    svg = re.sub(r">\s+<", "><", svg)
    if not sized:
        svg = re.sub(r"\s+width='[\d.]+px' height='[\d.]+px'", "", svg, count=1)
    if title:
        svg = svg.replace(">", f"><title>{html.escape(title)}</title>", 1)
    return svg.strip()


def structure_grid(comparison: Comparison, fmt: str = "svg") -> str | bytes:
    """The nearest MAX_GRID members in rank order, aligned on the reference's core, the core highlighted, the name
    and Morgan Tanimoto to the reference under each, "name (0.70)": SVG text or PNG bytes."""
    chosen = ranked_members(comparison, MAX_GRID)
    members = [m for m, _ in chosen]
    mols = depictions(comparison, members)
    keep = [i for i, mol in enumerate(mols) if mol.GetNumConformers()]
    every = dict(zip(comparison.names, core_atoms(comparison)))
    mols = [mols[i] for i in keep]
    atoms = [every[members[i].name] for i in keep]
    legends = []
    for i in keep:
        member, row = chosen[i]
        name = member.name if len(member.name) <= 34 else member.name[:33] + "…"
        tag = "reference" if member.name == comparison.reference else f"{row['tanimoto_morgan']:.2f}"
        legends.append(f"{name} ({tag})")  # one line: RDKit sets a second one over the first at some sizes
    rows = max(1, -(-len(mols) // COLUMNS))
    width, height = CARD[0] * max(1, min(COLUMNS, len(mols))), CARD[1] * rows
    cls = rdMolDraw2D.MolDraw2DSVG if fmt == "svg" else rdMolDraw2D.MolDraw2DCairo
    drawer = _drawer(cls, width, height, CARD[0], CARD[1])
    drawer.drawOptions().legendFraction = 0.14  # a legend at a readable size
    drawer.drawOptions().legendFontSize = 20
    with rdBase.BlockLogs():
        drawer.DrawMolecules(
            mols,
            legends=legends,
            highlightAtoms=[[] for _ in mols],
            highlightBonds=[_highlight_bonds(mol, hit) for mol, hit in zip(mols, atoms)],
        )
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
MAX_EGG_LABELS = 40  # points labelled: the reference and the nearest; the others are drawn unnamed
EGG_FONT = 8.5  # label size, points


def egg_figure(comparison: Comparison):
    """The BOILED-Egg (Daina & Zoete 2016): WLOGP vs TPSA with the published white and yolk ellipses.

    Members at one point share one label; labels stand in a column left and right of the points, in the order
    of their points, with leader lines that do not cross (`egg_labels`); the reference is a star.
    """
    mpl = _matplotlib()
    from matplotlib.lines import Line2D
    from matplotlib.patches import Ellipse

    table = comparison.table()
    width, height = 10.0, 7.2
    with mpl.rc_context({"text.parse_math": False, "svg.fonttype": "none", "font.family": "DejaVu Sans"}):
        fig = mpl.figure.Figure(figsize=(width, height))
        ax = fig.add_axes((0.08, 0.2, 0.9, 0.74))
        ax.set_facecolor("#e6e6e6")
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
                    edgecolor="#777777",
                    lw=0.8,
                    label=label,
                    zorder=1,
                )
            )
        classes = list(dict.fromkeys(sorted(c for c in table["class"])))
        is_ref = table["name"] == comparison.reference
        for i, cls in enumerate(classes):
            part = table[(table["class"] == cls) & ~is_ref]
            ax.scatter(
                part["tpsa_sp"],
                part["wlogp"],
                s=36,
                zorder=3,
                color=_CLASS_COLOURS[i % 10],
                edgecolor="black",
                lw=0.5,
                label=cls or ("members" if len(classes) == 1 else "(no class)"),
            )
        ref = table[is_ref]
        ax.scatter(ref["tpsa_sp"], ref["wlogp"], s=190, marker="*", color="#d62728", edgecolor="black", lw=0.7,
                   zorder=5, label=f"reference: {comparison.reference}")  # fmt: skip
        xmin, xmax = min(-10.0, table["tpsa_sp"].min() - 10), max(160.0, table["tpsa_sp"].max() + 50)
        ymin, ymax = min(-4.0, table["wlogp"].min() - 0.8), max(8.0, table["wlogp"].max() + 0.8)
        ax.set_xlim(xmin, xmax)
        ax.set_ylim(ymin, ymax)
        # one label line in WLOGP units: the axes are height * 0.74 inches tall
        line = 1.25 * EGG_FONT / 72 * (ymax - ymin) / (height * 0.74)
        pad = 0.04 * (xmax - xmin)
        spots = egg_labels(table, comparison.reference, line, pad, (ymin + line, ymax - line))
        low, high = _room_for(spots, xmin, xmax, width * 0.9 * 72)
        ax.set_xlim(low, high)
        if low < xmin:  # room made for labels: no TPSA scale below zero
            ax.set_xticks([t for t in ax.get_xticks() if 0 <= t <= high])
        for spot in spots:
            ax.annotate(
                spot.text,
                (spot.x, spot.y),
                xytext=(spot.label_x, spot.label_y),
                textcoords="data",
                fontsize=EGG_FONT,
                fontweight="bold" if spot.reference else "normal",
                ha="right" if spot.side == "left" else "left",
                va="center",
                zorder=6,
                annotation_clip=False,
                arrowprops={"arrowstyle": "-", "color": "#555555", "lw": 0.6, "shrinkA": 0, "shrinkB": 2},
            )
        ax.set_xlabel("TPSA (Å², N, O, S and P polar)")
        ax.set_ylabel("WLOGP (Wildman-Crippen logP)")
        ax.set_title("BOILED-Egg: gut absorption (white) and brain penetration (yolk)", fontsize=11)
        handles, labels = ax.get_legend_handles_labels()
        if len(table) > MAX_EGG_LABELS + 1:
            handles.append(Line2D([], [], ls="none"))
            labels.append(f"labelled: the reference and the {MAX_EGG_LABELS} nearest")
        fig.legend(handles, labels, loc="lower center", ncol=3, fontsize=8, frameon=False)
    return fig


@dataclass
class EggLabel:
    """A label of the BOILED-Egg plot: the point, where its text stands, the names it holds."""

    x: float
    y: float
    label_x: float
    label_y: float
    text: str
    side: str  # "left" (text ends at label_x) or "right" (text starts there)
    reference: bool = False


def egg_labels(
    table: pd.DataFrame, reference: str, line: float, pad: float, bounds: tuple[float, float]
) -> list[EggLabel]:
    """Labels that neither overlap nor cross: members at one point (TPSA and WLOGP to 0.01) share a label; the
    points are split at the middle of their TPSA order (equal TPSA on one side), each half labelled in a column
    beyond its outermost point, `line` apart, as near their points' WLOGP as the spacing lets them; then two
    leader lines that cross swap their labels (each swap shortens the lines, so it ends)."""
    groups: dict[tuple[float, float], list[str]] = {}
    placed = table.dropna(subset=["tpsa_sp", "wlogp"])  # a member whose rules were cut has no point
    for row in placed.head(MAX_EGG_LABELS + 1).itertuples():  # rank order: the reference and the nearest
        groups.setdefault((round(row.tpsa_sp, 2), round(row.wlogp, 2)), []).append(row.name)
    points = sorted(groups)
    xs = [x for x, _ in points]
    # the columns stand beyond every plotted point, labelled or not (a large set labels only the nearest)
    all_x = [float(x) for x in placed["tpsa_sp"]] or xs
    # the split nearest the middle that keeps points of one TPSA together
    cuts = [k for k in range(1, len(points)) if xs[k - 1] < xs[k]] or [len(points)]
    cut = min(cuts, key=lambda k: abs(k - len(points) / 2))
    out: list[EggLabel] = []
    for side, part in (("left", points[:cut]), ("right", points[cut:])):
        if not part:
            continue
        column = min(all_x) - pad if side == "left" else max(all_x) + pad
        part = sorted(part, key=lambda p: (p[1], p[0]))
        slots = _spread([y for _, y in part], line, *bounds)
        order = list(range(len(part)))  # order[i]: the slot of point i
        for _ in range(len(part) ** 2):
            crossing = next(
                ((i, j) for i in range(len(part)) for j in range(i + 1, len(part))
                 if _cross(part[i], (column, slots[order[i]]), part[j], (column, slots[order[j]]))),
                None,
            )  # fmt: skip
            if crossing is None:
                break
            i, j = crossing
            order[i], order[j] = order[j], order[i]
        for i, (x, y) in enumerate(part):
            names = [n if len(n) <= 36 else n[:35] + "…" for n in groups[(x, y)]]
            text = ", ".join(names) if len(names) <= 3 else f"{', '.join(names[:2])} and {len(names) - 2} more"
            out.append(EggLabel(x, y, column, slots[order[i]], text, side, reference in groups[(x, y)]))
    return out


def _room_for(spots: list[EggLabel], xmin: float, xmax: float, axes_pt: float) -> tuple[float, float]:
    """TPSA limits that hold the label columns inside the axes (off them, left labels ran over the WLOGP scale):
    label widths estimated at 0.6 em a character, the range widened until they fit."""

    def width(spot: EggLabel) -> float:  # in points
        return 0.6 * EGG_FONT * len(spot.text) + 4

    low, high = xmin, xmax
    for _ in range(4):  # the widths in TPSA units grow with the range: a few rounds settle it
        scale = (high - low) / axes_pt  # TPSA units per point
        low = min([xmin] + [s.label_x - width(s) * scale for s in spots if s.side == "left"])
        high = max([xmax] + [s.label_x + width(s) * scale for s in spots if s.side == "right"])
    return low, high


def _spread(wanted: list[float], gap: float, low: float, high: float) -> list[float]:
    """Positions as near `wanted` (ascending) as possible with `gap` between neighbours, within [low, high]
    when they fit: least squares under the spacing (pool adjacent violators on wanted[i] - i * gap)."""
    blocks: list[list[float]] = []  # [mean, count]
    for i, y in enumerate(wanted):
        blocks.append([min(max(y, low), high) - i * gap, 1])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            mean, count = blocks.pop()
            blocks[-1][0] = (blocks[-1][0] * blocks[-1][1] + mean * count) / (blocks[-1][1] + count)
            blocks[-1][1] += count
    base = [mean for mean, count in blocks for _ in range(count)]
    slots = [b + i * gap for i, b in enumerate(base)]
    shift = max(0.0, low - slots[0]) if slots else 0.0
    shift = shift or (min(0.0, high - slots[-1]) if slots else 0.0)
    return [y + shift for y in slots]


def _cross(p1, q1, p2, q2) -> bool:
    """Whether segments p1-q1 and p2-q2 cross (proper intersection)."""

    def turn(a, b, c) -> float:
        return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])

    d1, d2 = turn(p2, q2, p1), turn(p2, q2, q1)
    d3, d4 = turn(p1, q1, p2), turn(p1, q1, q2)
    return d1 * d2 < 0 and d3 * d4 < 0


def _figure_bytes(fig, fmt: str) -> bytes:
    buffer = io.BytesIO()
    metadata = {"Date": None} if fmt == "svg" else None  # the same comparison gives the same file
    with _matplotlib().rc_context({"svg.fonttype": "none", "svg.hashsalt": "chemprops"}):
        fig.savefig(buffer, format=fmt, dpi=110, bbox_inches="tight", metadata=metadata)
    return buffer.getvalue()


# --- HTML ---------------------------------------------------------------------------------------------------
# Column -> (header, format): a format spec for numbers, "d" integers, "verdict" pass/fail marks, "egg" the
# BOILED-Egg region, "code" monospace, "" text. Columns not here: the series' labels, else the descriptor's name
# with its units.
HEADERS = {
    "rank": ("Rank", "rank"),
    "name": ("Name", ""),
    "class": ("Class", ""),
    "cas": ("CAS", ""),
    "formula": ("Formula", ""),
    "molar_mass": ("Molar mass (g/mol)", ".3f"),
    "exact_mass": ("Monoisotopic mass (Da)", ".4f"),
    "smiles": ("SMILES", "code"),
    "inchikey": ("InChIKey", "code"),
    "formal_charge": ("Charge (e)", "d"),
    "heavy_atoms": ("Heavy atoms", "d"),
    "stereocentres": ("Stereocentres", "d"),
    "undefined_stereocentres": ("Undefined stereocentres", "d"),
    "logp": ("logP, Crippen", ".2f"),
    "molar_refractivity": ("Molar refractivity (cm³/mol)", ".1f"),
    "tpsa": ("TPSA, N and O (Å²)", ".1f"),
    "hbd": ("H-bond donors", "d"),
    "hba": ("H-bond acceptors", "d"),
    "rotatable_bonds": ("Rotatable bonds", "d"),
    "rings": ("Rings", "d"),
    "aromatic_rings": ("Aromatic rings", "d"),
    "fraction_csp3": ("Fraction sp³ C", ".2f"),
    "tanimoto_morgan": ("Tanimoto, Morgan", ".2f"),
    "tanimoto_maccs": ("Tanimoto, MACCS", ".2f"),
    "tanimoto_atompair": ("Tanimoto, atom pairs", ".2f"),
    "lipinski": ("Lipinski", "verdict"),
    "veber": ("Veber", "verdict"),
    "ghose": ("Ghose", "verdict"),
    "egan": ("Egan", "verdict"),
    "cns_mpo": ("CNS MPO (0–6)", ".2f"),
    "mpo_clogp": ("MPO: ClogP", ".2f"),
    "mpo_clogd": ("MPO: ClogD", ".2f"),
    "mpo_mw": ("MPO: MW", ".2f"),
    "mpo_tpsa": ("MPO: TPSA", ".2f"),
    "mpo_hbd": ("MPO: HBD", ".2f"),
    "mpo_pka": ("MPO: pKa", ".2f"),
    "pka_acid": ("pKa, most acidic", ".2f"),
    "pka_base": ("pKa, most basic", ".2f"),
    "pka_method": ("pKa from", ""),
    "logd_7_4": ("logD at pH 7.4", ".2f"),
    "wlogp": ("WLOGP", ".2f"),
    "tpsa_sp": ("TPSA, N, O, S and P (Å²)", ".1f"),
    "boiled_egg": ("BOILED-Egg", "egg"),
}
RULE_COLUMNS = ["name", "lipinski", "veber", "ghose", "egan", "cns_mpo", "mpo_clogp", "mpo_clogd", "mpo_mw",
                "mpo_tpsa", "mpo_hbd", "mpo_pka", "pka_base", "pka_method", "logd_7_4", "wlogp", "tpsa_sp",
                "boiled_egg"]  # fmt: skip


def _header(column: str, comparison: Comparison) -> str:
    if column in HEADERS:
        return HEADERS[column][0]
    series = comparison.series
    if series and column in series.labels:
        label = series.labels[column]
        if column in [p.column for p in series.positions]:
            return label if re.fullmatch(r"R\d+", label) else f"R at {label}"
        return label[:1].upper() + label[1:]
    descriptor = registry().get(column)
    text = column.replace("_", " ")
    return f"{text} ({descriptor.units})" if descriptor and descriptor.units else text


def _cell(column: str, value, row: dict, comparison: Comparison, drawn: dict[str, str]) -> str:
    """One table cell's HTML: formatted, marked, or drawn; every text escaped."""
    kind = HEADERS.get(column, ("", ""))[1]
    if comparison.series and column in [p.column for p in comparison.series.positions]:
        if value in ("", None):
            return '<td class="none" title="no core">–</td>'
        if value == "H":
            return "<td>H</td>"
        if value not in drawn:
            drawn[value] = rgroup_svg(value)
        return f'<td class="rg">{drawn[value]}</td>'
    if kind == "rank":
        return (
            '<td><span class="badge">reference</span></td>'
            if row["name"] == comparison.reference
            else f"<td>{value}</td>"
        )
    if kind == "verdict":
        why = html.escape(str(row.get(f"{column}_violations") or ""))
        if value is True or value == 1:
            return '<td class="pass">✓ pass</td>'
        if value is False or value == 0:
            return f'<td class="fail">✗ fail<br><small>{why}</small></td>'
        return "<td></td>"
    if value is None or (isinstance(value, float) and value != value):
        return "<td></td>"
    if kind == "egg":
        return f'<td><span class="egg {html.escape(str(value))}">{html.escape(str(value))}</span></td>'
    if kind == "code":
        return f"<td><code>{html.escape(str(value))}</code></td>"
    if isinstance(value, bool):
        return f"<td>{'yes' if value else 'no'}</td>"
    if isinstance(value, int | float):
        if kind == "d" or (not kind and float(value).is_integer()):
            return f'<td class="num">{int(value)}</td>'
        return f'<td class="num">{format(value, kind or ".3g")}</td>'
    if column == "name":  # the column that stays in view when a narrow screen scrolls the table
        return f'<td class="n">{html.escape(str(value))}</td>'
    return f"<td>{html.escape(str(value))}</td>"


def table_html(frame: pd.DataFrame, comparison: Comparison, drawn: dict[str, str] | None = None) -> str:
    """A table with human headers and formatted cells; the reference's row marked. Empty columns are left out."""
    drawn = {} if drawn is None else drawn
    columns = [c for c in frame.columns if c == "name" or frame[c].astype(str).replace({"nan": ""}).astype(bool).any()]
    heads = [(' class="n"' if c == "name" else "", html.escape(_header(c, comparison))) for c in columns]
    head = "".join(f"<th{css}>{text}</th>" for css, text in heads)
    body = []
    for row in frame.to_dict("records"):
        css = ' class="ref"' if row.get("name") == comparison.reference else ""
        cells = "".join(_cell(c, row[c], row, comparison, drawn) for c in columns)
        body.append(f"<tr{css}>{cells}</tr>")
    return f'<div class="scroll"><table><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table></div>'


def inline_svg(svg: str, prefix: str, label: str) -> str:
    """A matplotlib SVG for inlining in a page: no prolog or metadata, ids prefixed (two figures in one page
    must not share one), sized by CSS from its viewBox, `label` (escaped) for screen readers."""
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)

    def tag(match: re.Match) -> str:  # only inside tags: the figure's text is escaped, it holds no '<'
        text = match.group(0)
        text = re.sub(r'\bid="([^"]+)"', rf'id="{prefix}-\1"', text)
        text = re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}-\1)", text)
        return re.sub(r'href="#([^"]+)"', rf'href="#{prefix}-\1"', text)

    svg = re.sub(r"<[^<>]*>", tag, svg)
    svg = re.sub(r'<svg([^>]*?) width="[^"]*" height="[^"]*"', r"<svg\1", svg, count=1)
    return svg.replace("<svg", f'<svg role="img" aria-label="{html.escape(label)}"', 1)


def structure_cards(comparison: Comparison) -> str:
    """The nearest MAX_GRID members as cards in rank order: the structure aligned on the reference's core, the
    core highlighted, the name and Tanimoto to the reference under it."""
    chosen = ranked_members(comparison, MAX_GRID)
    mols = depictions(comparison, [m for m, _ in chosen])
    cores = dict(zip(comparison.names, core_atoms(comparison)))
    cards = []
    for (member, row), mol in zip(chosen, mols):
        ref = member.name == comparison.reference
        tag = '<span class="badge">reference</span>' if ref else f"{row['rank']}. Tanimoto {row['tanimoto_morgan']:.2f}"
        cards.append(
            f'<figure class="mol{" ref" if ref else ""}">{molecule_svg(mol, cores[member.name])}'
            f"<figcaption><b>{html.escape(member.name)}</b><br>{tag}</figcaption></figure>"
        )
    return f'<div class="cards">{"".join(cards)}</div>'


_STYLE = """
*{box-sizing:border-box}body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1240px;padding:.6rem 1rem;
color:#222}h1{font-size:1.45rem;line-height:1.25}h2{margin-top:1.8rem;border-bottom:1px solid #ccc;font-size:1.2rem}
nav{display:flex;flex-wrap:wrap;gap:.2em 1em}table{border-collapse:collapse;font-size:.85rem;margin:.4rem 0}
th,td{padding:.25rem .5rem;border-bottom:1px solid #e3e3e3;text-align:left;vertical-align:middle}
th{background:#f3f3f3;position:sticky;top:0;font-weight:600}td.num{text-align:right;font-variant-numeric:tabular-nums}
td.n,th.n{position:sticky;left:0;background:#fff;z-index:1;box-shadow:inset 0 -1px #e3e3e3}th.n{background:#f3f3f3;z-index:2}
tr.ref td,tr.ref td.n{background:#fff6d6;font-weight:600}.scroll{overflow-x:auto;max-width:100%}
td.pass,td.fail{white-space:nowrap}.pass{color:#1b7f3b;font-weight:600}.fail{color:#b00020;font-weight:600}.fail small{font-weight:400}
.egg{padding:0 .35em;border-radius:.6em;border:1px solid #bbb}.egg.yolk{background:#ffd54f}
.egg.white{background:#fff}.egg.grey{background:#ccc}.badge{background:#d62728;color:#fff;border-radius:.6em;
padding:0 .45em;font-size:.85em;font-weight:600}td.rg svg{display:block;max-width:190px;height:auto}td.none{color:#999}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(260px,1fr));gap:.6rem}
figure{margin:0}.mol{border:1px solid #ddd;border-radius:6px;padding:.2rem;text-align:center;background:#fff}
.mol.ref{border:2px solid #d62728}.mol svg{width:100%;height:auto;display:block}
figcaption{font-size:.9rem;overflow-wrap:anywhere}.core{display:inline-block;text-align:center;max-width:100%}
.core svg{max-width:100%;height:auto}.plot{overflow-x:auto}.plot svg{width:100%;min-width:720px;height:auto;max-width:1000px;display:block}\n.plot.heat svg{max-width:760px;min-width:560px}
.note{color:#555;font-size:.9rem}code{background:#f3f3f3;overflow-wrap:anywhere}
@media (max-width:600px){body{padding:.4rem .5rem;font-size:14px}
.cards{grid-template-columns:repeat(2,minmax(0,1fr));gap:.4rem}h1{font-size:1.2rem}}
"""


def html_report(comparison: Comparison, figures: dict[str, bytes]) -> str:
    """One self-contained page: summary, ranked table, structures, figures (inline SVG), R-groups, rules,
    descriptors, similarity matrix. Every text from the input is HTML-escaped."""
    esc = html.escape
    table = comparison.table()
    series = comparison.series
    drawn: dict[str, str] = {}  # R-group SMILES -> its drawing
    n = len(comparison.members)
    ref = esc(comparison.reference)
    core = (
        f"R-groups on the {esc(series.title)} <code>{esc(series.core)}</code>, in {comparison.series_count} of {n}"
        if series
        else "No series fits the set (no built-in core nor an MCS in most structures): no R-groups"
    )
    sections = [("nearest", "Nearest"), ("structures", "Structures"), ("egg", "BOILED-Egg"),
                ("similarity", "Similarity")]  # fmt: skip
    if series:
        sections.append(("rgroups", "R-groups"))
    sections += [("rules", "Rules"), ("descriptors", "Descriptors")]
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>chemprops compare: {ref}</title><style>{_STYLE}</style></head><body>",
        f"<h1>How {ref} compares to {n - 1} relative{'s' if n != 2 else ''}</h1>",
        "<nav>" + "".join(f'<a href="#{key}">{title}</a>' for key, title in sections) + "</nav>",
        f'<p class="note">Reference: <b>{ref}</b>. Similarity: Tanimoto on Morgan fingerprints (radius 2, 2048 '
        "bits, no stereo), MACCS keys and atom pairs. Maximum common substructure "
        f"<code>{esc(comparison.mcs_smarts)}</code> in {comparison.mcs_count} of {n} structures. {core}.</p>",
        '<h2 id="nearest">Nearest to the reference</h2>',
        table_html(comparison.ranked(), comparison, drawn),
        '<h2 id="structures">Structures</h2>',
        f'<p class="note">In rank order{" (the nearest " + str(MAX_GRID) + ")" if n > MAX_GRID else ""}, the shared '
        "core highlighted and laid out as in the reference; under each, its Morgan Tanimoto to the reference.</p>",
        structure_cards(comparison),
        '<h2 id="egg">BOILED-Egg</h2>',
        '<p class="note">Daina &amp; Zoete, ChemMedChem 11, 1117 (2016): inside the yolk, predicted to cross '
        "the blood-brain barrier; inside the white, predicted to be absorbed from the gut. WLOGP = "
        "Wildman-Crippen logP; TPSA counts N, O, S and P as polar, as SwissADME does. Members at one point share a "
        "label; the star is the reference.</p>",
        '<div class="plot">'
        + inline_svg(figures["boiled_egg.svg"].decode("utf-8"), "egg", "BOILED-Egg plot")
        + "</div>",
        '<h2 id="similarity">Similarity (Morgan, clustered)</h2>',
        '<div class="plot heat">'
        + inline_svg(figures["similarity_heatmap.svg"].decode("utf-8"), "heat", "similarity heatmap")
        + "</div>"
        if "similarity_heatmap.svg" in figures
        else f'<p class="note">Not drawn for {n} structures (at most {MAX_HEATMAP}); the matrix is in '
        "similarity.csv.</p>",
    ]
    if series:
        parts += [
            f'<h2 id="rgroups">R-groups on the {esc(series.title)}</h2>',
            f'<p class="note">{esc(series.description)} A wavy bond marks the attachment; – : the structure lacks '
            "the core. Hover a drawing for its SMILES (in compare.csv too).</p>",
        ]
        if series.labelled_core:
            parts.append(
                f'<figure class="core">{labelled_core_svg(series.labelled_core)}<figcaption>The core, found as '
                "the set's maximum common substructure; R1, R2... mark the positions of the columns.</figcaption>"
                "</figure>"
            )
        parts.append(table_html(table[["name", "class", *series.columns]], comparison, drawn))
    parts += [
        '<h2 id="rules">Drug-likeness and CNS rules</h2>',
        '<p class="note">Lipinski 1997 (at most one violation), Veber 2002, Ghose 1999, Egan 2000; CNS MPO '
        "(Wager 2010, 0-6; &ge; 4 desirable) with Wildman-Crippen logP for ClogP, logD at pH 7.4 by "
        "Henderson-Hasselbalch, pKa of the most basic centre from the record or from a group table.</p>",
        table_html(table[[c for c in RULE_COLUMNS if c in table.columns]], comparison),
        '<h2 id="descriptors">Descriptors</h2>',
        table_html(table[["name", *[c for c in comparison.descriptors.columns if c != "name"]]], comparison),
        f"<details><summary>Morgan similarity matrix ({n} × {n})</summary>",
        _matrix_html(comparison.similarity["morgan"]),
        "</details>",
    ]
    skipped = "".join(f"<li>{esc(entry)}: {esc(reason)}</li>" for entry, reason in comparison.skipped)
    if skipped:
        parts += ["<h2>Skipped input</h2>", f"<ul>{skipped}</ul>"]
    parts.append("</body></html>")
    return "\n".join(parts)


def _matrix_html(matrix: pd.DataFrame) -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in matrix.columns)
    rows = "".join(
        f"<tr><td>{html.escape(str(name))}</td>" + "".join(f'<td class="num">{v:.2f}</td>' for v in values) + "</tr>"
        for name, values in zip(matrix.index, matrix.to_numpy())
    )
    return f'<div class="scroll"><table><thead><tr><th></th>{head}</tr></thead><tbody>{rows}</tbody></table></div>'


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
