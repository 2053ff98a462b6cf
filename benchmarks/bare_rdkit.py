"""The baseline: a bare RDKit loop that reads a SMILES CSV, computes the core columns, writes a CSV.

This is what a careful user would write by hand for the same columns as `chemprops batch` with the core
set (formula, masses, SMILES, InChI/InChIKey, charge, heavy atoms, stereocentres with CIP labels, the
nine core descriptors), with no error capture beyond an empty row. Usage: bare_rdkit.py INPUT.csv OUTPUT.csv
"""

import csv
import sys

from rdkit import Chem, rdBase
from rdkit.Chem import Crippen, Descriptors, rdCIPLabeler, rdMolDescriptors

COLUMNS = [
    "formula", "molar_mass", "exact_mass", "smiles_out", "inchi", "inchikey", "formal_charge", "heavy_atoms",
    "stereocentres", "cip", "logp", "molar_refractivity", "tpsa", "hbd", "hba", "rotatable_bonds", "rings",
    "aromatic_rings", "fraction_csp3",
]  # fmt: skip


def row(mol):
    inchi = Chem.MolToInchi(mol, logLevel=None) or ""
    infos = [i for i in Chem.FindPotentialStereo(Chem.Mol(mol)) if i.type == Chem.StereoType.Atom_Tetrahedral]
    cip = ""
    if infos:
        rdCIPLabeler.AssignCIPLabels(mol)
        cip = " ".join(
            f"{i.centeredOn + 1}:{mol.GetAtomWithIdx(i.centeredOn).GetPropsAsDict().get('_CIPCode', '?')}"
            for i in infos
        )
    return [
        rdMolDescriptors.CalcMolFormula(mol),
        round(Descriptors.MolWt(mol), 6),
        round(Descriptors.ExactMolWt(mol), 6),
        Chem.MolToSmiles(mol),
        inchi,
        Chem.InchiToInchiKey(inchi) if inchi else "",
        Chem.GetFormalCharge(mol),
        mol.GetNumHeavyAtoms(),
        len(infos),
        cip,
        round(Crippen.MolLogP(mol), 6),
        round(Crippen.MolMR(mol), 6),
        round(rdMolDescriptors.CalcTPSA(mol), 6),
        rdMolDescriptors.CalcNumLipinskiHBD(mol),
        rdMolDescriptors.CalcNumLipinskiHBA(mol),
        rdMolDescriptors.CalcNumRotatableBonds(mol),
        rdMolDescriptors.CalcNumRings(mol),
        rdMolDescriptors.CalcNumAromaticRings(mol),
        round(rdMolDescriptors.CalcFractionCSP3(mol), 6),
    ]


def main(source, target):
    with open(source, newline="", encoding="utf-8") as inp, open(target, "w", newline="", encoding="utf-8") as out:
        reader = csv.DictReader(inp)
        writer = csv.writer(out)
        writer.writerow(reader.fieldnames + COLUMNS)
        with rdBase.BlockLogs():
            for record in reader:
                mol = Chem.MolFromSmiles(record["smiles"] or "")
                values = row(mol) if mol is not None else [""] * len(COLUMNS)
                writer.writerow(list(record.values()) + values)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
