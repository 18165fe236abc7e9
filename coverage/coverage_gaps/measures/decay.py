"""Distance-decay functions for the floating catchment measures.

A decay turns a distance in km into a weight between 0 and 1.  Every decay
here is vectorised (it takes an array of distances and returns an array of
weights), is 0 beyond its ``reach_km`` and is *inclusive* at its thresholds: a
provider exactly ``catchment_km`` away is inside (``d <= catchment_km``), the
convention of PySAL ``access`` (``cost <= max_cost``, ``weights.step_fn``).

``step``
    1 inside the catchment, 0 outside.  With it the E2SFCA is the classic
    two-step floating catchment area (2SFCA) of Luo and Wang (2003).
``gaussian``
    The Gaussian of Dai (2010), used by the enhanced 2SFCA::

        w(d) = (exp(-0.5 (d/d0)^2) - exp(-0.5)) / (1 - exp(-0.5))   for d <= d0
        w(d) = 0                                                     for d >  d0

    with ``d0 = catchment_km``: 1 at the provider's door, falling smoothly to
    exactly 0 at the edge of the catchment (about 0.70 at half the catchment).
``step_table``
    A user table of ``(upper_km, weight)`` rows, as in Luo and Qi's (2009)
    E2SFCA, e.g. ``[(10, 1.0), (20, 0.68), (30, 0.22)]``: weight 1 up to
    10 km, 0.68 above 10 and up to 20 km, 0.22 above 20 and up to 30 km, 0
    beyond.

References: Luo W., Wang F. (2003) Environ. Plann. B 30:865-884; Luo W., Qi Y.
(2009) Health & Place 15:1100-1107; Dai D. (2010) Health & Place 16:1038-1052.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np

from ..errors import InvalidValueError, describe

__all__ = ["Decay", "DECAYS", "step", "gaussian", "step_table", "make_decay", "check_catchment"]

#: Decay names accepted by :func:`make_decay` (aliases in brackets).
DECAYS = {
    "step": "1 inside the catchment, 0 outside (classic 2SFCA) [alias '2sfca']",
    "gaussian": "Dai (2010) Gaussian falling to 0 at the catchment edge (E2SFCA) [alias 'e2sfca']",
    "table": "your own (upper_km, weight) rows, as in Luo and Qi (2009) [alias 'step_table']",
}
_ALIASES = {"2sfca": "step", "e2sfca": "gaussian", "step_table": "table"}
_EDGE = math.exp(-0.5)


@dataclass(frozen=True)
class Decay:
    """A vectorised decay: call it with distances in km to get weights.

    Attributes
    ----------
    name
        ``"step"``, ``"gaussian"`` or ``"table"``.
    reach_km
        Weights are 0 beyond this distance (the neighbour-search radius).
    rows
        The ``(upper_km, weight)`` rows of a ``"table"`` decay (empty otherwise),
        so a compiled kernel can apply the same weights.
    """

    name: str
    reach_km: float
    _fn: Callable[[np.ndarray], np.ndarray] = field(repr=False, compare=False)
    rows: tuple[tuple[float, float], ...] = field(default=(), repr=False, compare=False)

    def __call__(self, dist_km):
        d = np.asarray(dist_km, dtype=float)
        w = self._fn(d)
        return float(w) if w.ndim == 0 else w


def check_catchment(catchment_km, *, column: str = "catchment_km") -> float:
    """Return ``catchment_km`` as a float, or raise if it is not a positive distance.

    ``inf`` is allowed (an unbounded catchment).
    """
    try:
        value = float(catchment_km)
    except (TypeError, ValueError):
        value = float("nan")
    if not value > 0:  # also catches NaN
        raise InvalidValueError(
            describe(
                "the catchment must be a positive distance in km",
                column=column,
                value=catchment_km,
                expected="a number above 0, e.g. 30",
                fix="set catchment_km to how far people can travel for advice",
            )
        )
    return value


def step(catchment_km: float) -> Decay:
    """Weight 1 within ``catchment_km`` (inclusive), 0 beyond: the classic 2SFCA."""
    d0 = check_catchment(catchment_km)
    return Decay("step", d0, lambda d: np.where(d <= d0, 1.0, 0.0))


def gaussian(catchment_km: float) -> Decay:
    """Dai's (2010) Gaussian decay, 1 at 0 km and exactly 0 at ``catchment_km``.

    ``w(d) = (exp(-0.5 (d/d0)^2) - exp(-0.5)) / (1 - exp(-0.5))`` for
    ``d <= d0 = catchment_km``, else 0.  An infinite catchment gives weight 1
    everywhere.
    """
    d0 = check_catchment(catchment_km)

    def fn(d: np.ndarray) -> np.ndarray:
        w = (np.exp(-0.5 * (d / d0) ** 2) - _EDGE) / (1.0 - _EDGE)
        return np.where(d <= d0, w, 0.0)

    return Decay("gaussian", d0, fn)


def _table_error(message: str, value, fix: str) -> InvalidValueError:
    return InvalidValueError(
        describe(message, column="decay_table", value=value,
                 expected="rows of (upper_km, weight) with upper_km rising above 0 and weights of 0 or more",
                 fix=fix)
    )


def step_table(rows: Iterable[tuple[float, float]]) -> Decay:
    """A step decay from a table of ``(upper_km, weight)`` rows.

    A distance ``d`` takes the weight of the first row with ``d <= upper_km``;
    beyond the last row the weight is 0.

    Raises
    ------
    InvalidValueError
        No rows, a row that is not two numbers, ``upper_km`` not rising or not
        above 0, or a negative or missing weight.
    """
    try:
        table = [(float(u), float(w)) for u, w in rows]
    except (TypeError, ValueError):
        raise _table_error("each decay-table row must be two numbers", rows,
                           "write rows like [[10, 1.0], [20, 0.68], [30, 0.22]]") from None
    if not table:
        raise _table_error("the decay table has no rows", rows, "give at least one (upper_km, weight) row")
    upper = np.array([u for u, _ in table])
    weight = np.array([w for _, w in table])
    if not (np.all(np.isfinite(upper)) and upper[0] > 0 and np.all(np.diff(upper) > 0)):
        raise _table_error("decay-table distances must be above 0 and rising", [u for u, _ in table],
                           "sort the rows by upper_km and drop repeated distances")
    if not (np.all(np.isfinite(weight)) and np.all(weight >= 0)):
        raise _table_error("decay-table weights must be 0 or more", [w for _, w in table],
                           "use weights between 0 and 1, largest nearest")
    weights0 = np.append(weight, 0.0)

    def fn(d: np.ndarray) -> np.ndarray:
        return weights0[np.searchsorted(upper, d, side="left")]

    return Decay("table", float(upper[-1]), fn, rows=tuple(table))


def make_decay(name: str | Decay, *, catchment_km: float, table=None) -> Decay:
    """Build a decay by name.

    Parameters
    ----------
    name
        ``"gaussian"`` (E2SFCA), ``"step"`` (2SFCA) or ``"table"``; a
        :class:`Decay` is returned unchanged.
    catchment_km
        The catchment radius in km (the Gaussian's ``d0``, the step's cut-off).
    table
        ``(upper_km, weight)`` rows; required for ``"table"`` and not allowed
        otherwise.  Its last ``upper_km`` may not exceed ``catchment_km``.

    Raises
    ------
    InvalidValueError
        Unknown name (the message lists the names), a bad catchment, a missing,
        unexpected or bad table.
    """
    if isinstance(name, Decay):
        return name
    d0 = check_catchment(catchment_km)
    key = _ALIASES.get(str(name).lower(), str(name).lower())
    if key not in DECAYS:
        raise InvalidValueError(
            describe("unknown decay", column="decay", value=name,
                     expected="one of " + ", ".join(f"{k!r}" for k in DECAYS),
                     fix="use 'gaussian' for the enhanced 2SFCA or 'step' for the classic 2SFCA")
        )
    if key != "table":
        if table is not None:
            raise InvalidValueError(
                describe("a decay table was given but the decay is not 'table'", column="decay", value=name,
                         fix="set decay to 'table' to use the table, or remove decay_table")
            )
        return step(d0) if key == "step" else gaussian(d0)
    if table is None:
        raise InvalidValueError(
            describe("decay 'table' needs a decay table", column="decay_table",
                     fix="give rows like [[10, 1.0], [20, 0.68], [30, 0.22]]")
        )
    decay = step_table(table)
    if decay.reach_km > d0:
        raise InvalidValueError(
            describe(f"the decay table reaches {decay.reach_km:g} km, beyond the {d0:g} km catchment",
                     column="decay_table", value=decay.reach_km,
                     fix="end the table at the catchment or raise catchment_km")
        )
    return decay
