"""Capacity units: what one unit of supply is when a provider file gives no capacity figure.

A capacity column (advisers, FTE, caseworkers, matter starts) always wins.
Without one, each provider counts as one unit, either

* ``"office"``: one unit per office, or
* ``"organisation"``: one unit per organisation per area, shared equally over
  its offices there that count as supply (three offices of one law centre in
  one city count once; its offices in other categories of law, loaded as
  candidates to train, take no share).

Organisations are matched on the firm number where the file has one (the LAA
directory's ``firm``; its ``account_number`` is per office, so it is used only
when no firm column exists), else on a normalised name ("Coventry Law Centre
Ltd" = "coventry law centre").
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..errors import InvalidValueError, describe
from ..schema import AREA_CODE, CAPACITY, CAPACITY_GIVEN, PROVIDER_NAME

__all__ = ["CAPACITY_UNITS", "ORGANISATION_ID_COLUMNS", "organisation_key", "capacity_units"]

#: The units a profile may choose.
CAPACITY_UNITS = ("office", "organisation")
#: Columns that identify an organisation, first found (and non-blank) wins.
ORGANISATION_ID_COLUMNS = ("firm", "firm_id", "firm_number", "organisation_id", "account_number")
_SUFFIXES = re.compile(r"\b(ltd|limited|llp|plc|cic|inc|the)\b")


def organisation_key(providers: pd.DataFrame) -> pd.Series:
    """One key per organisation: ``"id:<firm>"`` where a firm number is given, else ``"name:<normalised name>"``."""
    names = (providers[PROVIDER_NAME].fillna("").astype(str).str.casefold().str.replace("&", " and ", regex=False)
             .str.replace(r"[^\w\s]", " ", regex=True).str.replace(_SUFFIXES, " ", regex=True)
             .str.split().str.join(" "))
    key = "name:" + names
    for column in ORGANISATION_ID_COLUMNS:
        if column in providers.columns:
            ids = providers[column].astype("string").fillna("").str.strip().str.removesuffix(".0")
            key = key.where(ids.eq("").to_numpy(), "id:" + ids)
            break
    return key.astype(str)


def capacity_units(providers: pd.DataFrame, *, unit: str = "office", supply=None) -> pd.Series:
    """Each provider's capacity under ``unit`` (see the module notes).

    Parameters
    ----------
    providers
        Providers with ``capacity``, ``name``, ``area_code`` (the area each
        sits in) and optionally ``capacity_given`` (True where the file had a
        capacity column; missing means it had none).
    unit
        ``"office"`` or ``"organisation"``.
    supply
        Boolean mask (array or Series aligned with ``providers``) of the offices
        that count as supply: only they share an organisation's unit.  None:
        every office.

    Returns
    -------
    pandas.Series
        Capacity per provider, on ``providers``' index.
    """
    if unit not in CAPACITY_UNITS:
        raise InvalidValueError(describe("capacity unit not recognised", column="[analysis] capacity_unit",
                                         value=unit, expected=" or ".join(CAPACITY_UNITS),
                                         fix='set capacity_unit = "office" or "organisation"'))
    capacity = pd.to_numeric(providers[CAPACITY], errors="coerce").astype(float)
    if unit == "office" or len(providers) == 0:
        return capacity
    given = (providers[CAPACITY_GIVEN].astype("boolean").fillna(False).to_numpy(dtype=bool)
             if CAPACITY_GIVEN in providers.columns else np.zeros(len(providers), dtype=bool))
    shares = ~given & (np.ones(len(providers), dtype=bool) if supply is None else np.asarray(supply, dtype=bool))
    area = providers[AREA_CODE].fillna("").astype(str) if AREA_CODE in providers.columns else ""
    group = pd.Series(area, index=providers.index).astype(str) + "|" + organisation_key(providers)
    offices = group[shares].map(group[shares].value_counts())
    shared = capacity.copy()
    shared[shares] = 1.0 / offices.to_numpy(dtype=float)
    return shared
