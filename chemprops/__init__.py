"""chemprops: compute and verify chemical properties of structures, one or millions."""

from chemprops.batch import compute
from chemprops.errors import ChempropsError
from chemprops.properties import Properties, props, props_frame
from chemprops.structure import Structure, enantiomers, parse, stereocentres
from chemprops.verify import verify

__version__ = "0.1.0"
__all__ = [
    "ChempropsError",
    "compute",
    "Properties",
    "Structure",
    "enantiomers",
    "parse",
    "props",
    "props_frame",
    "stereocentres",
    "verify",
]
