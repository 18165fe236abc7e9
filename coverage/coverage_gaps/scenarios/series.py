"""Snapshots and time series: programme start vs end, one quarter vs another.

* :func:`with_providers` / :func:`with_demand` swap one input layer of an
  :class:`~coverage_gaps.pipeline.Inputs` for another snapshot (the
  originals are left alone); analyse both and :func:`~.whatif.compare` them.
* :func:`demand_at` re-loads Asy_D11 demand for another quarter.
* :func:`demand_series` lists every quarter per area.
* :func:`change_layer` joins a change table to the area boundaries, ready to map.
"""

from __future__ import annotations

import dataclasses
import warnings

import geopandas as gpd
import pandas as pd

from .._validate import Loaded
from ..errors import InvalidValueError, describe
from ..result import Result
from ..schema import AREA_CODE, CRS_BNG, POPULATION
from .whatif import Scenario, compare

__all__ = ["with_providers", "with_demand", "demand_at", "demand_series", "asy_d11_quarters", "change_layer"]


def with_providers(inputs, providers: dict[str, Loaded]):
    """The inputs with provider layers replaced (or added) by name.

    Parameters
    ----------
    inputs
        :class:`~coverage_gaps.pipeline.Inputs` (not modified).
    providers
        Layer name (as in the profile, e.g. ``"partners"``) to a loaded
        provider file (:func:`coverage_gaps.io.load_partners`).  Layers not
        named stay as they are.
    """
    if not isinstance(providers, dict) or not all(isinstance(v, Loaded) for v in providers.values()):
        raise InvalidValueError(describe("providers must map a layer name to a loaded provider file",
                                         value=type(providers).__name__,
                                         expected='{"partners": coverage_gaps.io.load_partners(path)}'))
    layers = dict(inputs.providers)
    layers.update(providers)
    return dataclasses.replace(inputs, providers=layers)


def with_demand(inputs, name: str, demand: Loaded):
    """The inputs with demand layer ``name`` replaced by another snapshot."""
    if name not in inputs.demand:
        raise InvalidValueError(describe("no demand layer of that name", column="name", value=name,
                                         expected=" or ".join(repr(k) for k in inputs.demand) or "a demand layer",
                                         fix="use the name given in the profile's [[inputs.demand]]"))
    layers = dict(inputs.demand)
    layers[name] = demand
    return dataclasses.replace(inputs, demand=layers)


def demand_at(inputs, path, date: str, *, name: str = "asylum_support", **options):
    """The inputs with Asy_D11 demand for another quarter.

    Parameters
    ----------
    inputs
        :class:`~coverage_gaps.pipeline.Inputs` (not modified).
    path
        The Asy_D11 file.
    date
        The quarter, e.g. ``"2023-06-30"`` (any date :func:`coverage_gaps.io.load_asy_d11` accepts).
    name
        The demand layer to replace (its column name).
    options
        Passed on to :func:`coverage_gaps.io.load_asy_d11` (support types ...).  The
        quarter is harmonised to the inputs' boundaries; a ``population`` layer
        of the inputs splits a new council's people over its old districts.
    """
    from .. import io

    codes = set(inputs.areas.table[AREA_CODE])
    population = inputs.demand.get(POPULATION)
    if "weights" not in options and population is not None and POPULATION in population.table.columns:
        options["weights"] = population.table.set_index(AREA_CODE)[POPULATION]  # split new councils by population
    return with_demand(inputs, name, io.load_asy_d11(path, area_codes=codes, column=name, date=date, **options))


def asy_d11_quarters(path) -> list[str]:
    """The quarter-end dates (ISO) an Asy_D11 file holds, oldest first."""
    from .. import io
    from ..tables import iso_dates

    table, _ = io.read_table(path, header_hint=["Date", "LAD Code", "People"])
    column = io.match_column(table.columns, ("Date", "Quarter end", "Quarter ending", "Period", "Snapshot date"))
    if column is None:
        raise InvalidValueError(describe("no date column", file=path, expected="an Asy_D11 file with a Date column",
                                         fix="export the 'Data - Asy_D11' sheet of the Home Office workbook"))
    return sorted(set(iso_dates(table[column]).dropna().astype(str)))


def demand_series(path, *, area_codes=None, dates=None, wide: bool = True, name: str = "asylum_support",
                  **options) -> pd.DataFrame:
    """Asy_D11 demand per area for every quarter (or the quarters asked for).

    Parameters
    ----------
    path
        The Asy_D11 file.
    area_codes
        The boundaries in use: each quarter is harmonised to them (codes of
        other vintages summed into successors or split over predecessors, see
        :mod:`coverage_gaps.vintages`), then only these areas are kept.  Every
        area in the file, as the file codes it, when None.
    dates
        Quarters to keep (ISO dates or ``"2024 Q3"``); every quarter when None.
    wide
        One row per area and one column per quarter (ISO dates, oldest first;
        0 where the file lists nobody, as Asy_D11 leaves out areas with no one
        on support); otherwise long: ``area_code, date, <name>``.
    name
        Name of the value column (long form).
    options
        Passed on to :func:`coverage_gaps.io.load_asy_d11` (``support_types``,
        ``accommodation_types``, ``sheet``, ``weights`` for splitting).

    Notes
    -----
    Each quarter is loaded and validated by :func:`coverage_gaps.io.load_asy_d11`;
    load one quarter on its own to see its rejects.
    """
    from .. import io

    quarters = asy_d11_quarters(path) if dates is None else list(dates)
    codes = None if area_codes is None else {str(c) for c in area_codes}
    frames, seen = [], []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # one warning per quarter would drown the notebook
        for date in quarters:
            loaded = io.load_asy_d11(path, column=name, date=date, area_codes=codes, **options)
            frames.append(loaded.table[[AREA_CODE, name]].assign(date=loaded.date))
            seen.append(loaded.date)
    long = pd.concat(frames, ignore_index=True)[[AREA_CODE, "date", name]]
    if area_codes is not None:
        long = long[long[AREA_CODE].isin([str(c) for c in area_codes])]
    long = long.sort_values([AREA_CODE, "date"], kind="mergesort").reset_index(drop=True)
    if not wide:
        return long
    table = long.pivot(index=AREA_CODE, columns="date", values=name)
    table = table.reindex(columns=sorted(set(seen))).fillna(0.0)
    if area_codes is not None:
        table = table.reindex([str(c) for c in area_codes]).fillna(0.0)
    table.columns.name = None
    return table.rename_axis(AREA_CODE).reset_index()


def change_layer(before: Result | Scenario, after: Result | None = None) -> gpd.GeoDataFrame:
    """The per-area change table with area boundaries, ready to map.

    Parameters
    ----------
    before, after
        Two Results, or one :class:`~.whatif.Scenario`.

    Returns
    -------
    geopandas.GeoDataFrame
        :data:`~.whatif.CHANGE_COLUMNS` (``change_access``,
        ``change_unmet_demand``, ``change_demand``, ``desert_closed``,
        ``status_change`` ...) and ``geometry`` (EPSG:27700), one row per area
        of either Result.
    """
    if isinstance(before, Scenario):
        before, after, table = before.before, before.after, before.table
    elif after is None:
        raise InvalidValueError(describe("change_layer needs two Results or one Scenario", value=None,
                                         fix="pass change_layer(before, after) or change_layer(scenario)"))
    else:
        table = compare(before, after)
    shapes = dict(zip(before.areas[AREA_CODE], before.areas.geometry))
    shapes.update(zip(after.areas[AREA_CODE], after.areas.geometry))
    geometry = [shapes.get(code) for code in table[AREA_CODE]]
    return gpd.GeoDataFrame(table, geometry=gpd.GeoSeries(geometry, index=table.index, crs=CRS_BNG), crs=CRS_BNG)
