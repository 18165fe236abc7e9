"""Snapshots and time series: programme start vs end, one quarter vs another.

* :func:`with_providers` / :func:`with_demand` swap one input layer of an
  :class:`~coverage_gaps.pipeline.Inputs` for another snapshot (the
  originals are left alone); analyse both and :func:`~.whatif.compare` them.
* :func:`harmonised_to` gives the options that load another quarter against the
  inputs' boundaries (:func:`coverage_gaps.io.load_asy_d11`); the scenarios read no file.
* :func:`demand_series` lists every loaded quarter per area
  (:func:`coverage_gaps.io.load_asy_d11_quarters`).
* :func:`change_layer` joins a change table to the area boundaries, ready to map.
"""

from __future__ import annotations

import dataclasses

import geopandas as gpd

from .._validate import Loaded
from ..errors import InvalidValueError, describe
from ..result import Result
from ..schema import AREA_CODE, CRS_BNG
from ..trend import demand_series  # noqa: F401 (scenarios.demand_series: the trend tabulates loaded quarters too)
from .whatif import Scenario, compare

__all__ = ["with_providers", "with_demand", "harmonised_to", "demand_series", "change_layer"]


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


def harmonised_to(inputs) -> dict:
    """Options that load another snapshot of demand against these inputs' boundaries, as the inputs' was loaded.

    ``area_codes`` (the boundaries in use), ``weights`` and ``weight_label``
    (the population layer the profile names: a new council's people are split
    over its old districts by population) and ``changes`` (the built-in code
    changes plus the profile's code lookup): pass them to
    :func:`coverage_gaps.io.load_asy_d11` or :func:`coverage_gaps.io.load_asy_d11_quarters`,
    then swap the snapshot in with :func:`with_demand`.  The same options as
    :meth:`coverage_gaps.pipeline.Inputs.harmonising`.
    """
    return inputs.harmonising()


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
