"""Optional dependencies: import one, or say which pip "extra" installs it.

A plain ``pip install coverage-gaps`` runs ``check``, ``run``, ``targets``,
``report`` and ``demo``.  Two features need more, declared as extras in
``pyproject.toml``:

* ``exact``: PySAL ``spopt`` and ``pulp`` (the CBC solver), for the exact
  optimum that ``plan`` compares the greedy choice with;
* ``notebooks``: JupyterLab and ``ipywidgets``, for the interactive explorer.

:func:`require` imports a module or raises :class:`MissingExtraError` naming
the extra and the pip command, never a bare ``ModuleNotFoundError``.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from .errors import MissingExtraError, describe

__all__ = ["EXTRAS", "require"]

#: top-level module -> (PyPI distribution, extra that installs it)
EXTRAS: dict[str, tuple[str, str]] = {
    "pulp": ("pulp", "exact"),
    "spopt": ("spopt", "exact"),
    "ipywidgets": ("ipywidgets", "notebooks"),
}


def require(module: str, *, purpose: str) -> ModuleType:
    """Import ``module`` (e.g. ``"spopt.locate"``) or explain which extra to install.

    Parameters
    ----------
    module
        Dotted module name; its first part must be a key of :data:`EXTRAS`.
    purpose
        What needs it, for the message (e.g. ``"the exact check of plan"``).

    Raises
    ------
    MissingExtraError
        The module (or one of its own dependencies) cannot be imported.
    """
    distribution, extra = EXTRAS[module.split(".")[0]]
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingExtraError(describe(
            f"{purpose} needs the optional package {distribution}, which is not installed "
            f"(import {module} failed: {exc})",
            fix=f'install the "{extra}" extra: python -m pip install "coverage-gaps[{extra}]"')) from None
