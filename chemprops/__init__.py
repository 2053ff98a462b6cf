"""chemprops: compute and verify chemical properties of structures, one or millions."""

import sys
from importlib import import_module
from types import ModuleType

__version__ = "0.1.0"

# The public API, imported on first use (PEP 562): `chemprops batch` from CSV to CSV never loads pandas,
# whose import alone takes half a second.
_EXPORTS = {
    "ChempropsError": "chemprops.errors",
    "compare": "chemprops.compare",
    "compute": "chemprops.batch",
    "Properties": "chemprops.properties",
    "props": "chemprops.properties",
    "Structure": "chemprops.structure",
    "resolve": "chemprops.resolve",
    "standardize": "chemprops.properties",
    "stereocentres": "chemprops.stereo",
    "stereoisomers": "chemprops.stereo",
    "verify": "chemprops.verify",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        value = getattr(import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'chemprops' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])


class _Package(ModuleType):
    """Importing the submodule `chemprops.verify` sets the package's `verify` to that module; the public
    name stays the function of the same name."""

    def __setattr__(self, name: str, value) -> None:
        if isinstance(value, ModuleType) and _EXPORTS.get(name) == value.__name__:
            value = getattr(value, name)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
