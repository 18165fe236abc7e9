"""Sub-areas (LSOAs ...) checked against their parent areas: none is dropped without a word.

A sub-area whose parent code is not among the areas (or, without a parent
column, whose inner point lies in no area) cannot carry any demand: it becomes
a reject with its reason, so the sub-area file reconciles like every input.
"""

from __future__ import annotations

from dataclasses import replace

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .._validate import Loaded, RejectLog
from ..errors import MissingColumnError, describe
from ..schema import AREA_CODE, CRS_BNG

__all__ = ["reject_orphan_subareas"]


def reject_orphan_subareas(subareas: Loaded, areas: gpd.GeoDataFrame, *, parent_column: str | None = None) -> Loaded:
    """``subareas`` with those that belong to no area moved to its rejects.

    Parameters
    ----------
    subareas
        From :func:`~coverage_gaps.io.load_areas` on the sub-area file.
    areas
        The areas (``area_code``, polygons).
    parent_column
        Column of the sub-areas holding each one's area code; when None a
        sub-area belongs to the area its inner point lies in.

    Returns
    -------
    Loaded
        The same input, reconciled: orphans are rejects (row = feature number).
    """
    table = subareas.table
    if not len(table):
        return subareas
    rows = table.attrs.get("feature_rows")
    rows = np.arange(1, len(table) + 1) if rows is None else np.asarray(rows)
    if parent_column is not None:
        if parent_column not in table.columns:
            raise MissingColumnError(describe(
                "the sub-areas' parent column is missing", file=subareas.source, column=parent_column,
                expected="one of " + ", ".join(map(repr, [c for c in table.columns if c != "geometry"])),
                fix="set [inputs.subareas] parent_column to the column holding each sub-area's area code"))
        parent = table[parent_column].astype("string").fillna("").str.strip()
        orphan = ~parent.isin(set(areas[AREA_CODE].astype(str))).to_numpy()
        reason = [describe(f"sub-area {c}: its parent area {p!r} is not in the area boundaries, so its people "
                           "cannot be placed", fix="check the parent column and that both files are one vintage")
                  for c, p in zip(table[AREA_CODE][orphan], parent[orphan])]
        column = parent_column
    else:
        points = shapely.point_on_surface(table.geometry.to_crs(CRS_BNG).to_numpy())
        inside = np.zeros(len(table), dtype=bool)
        shapes = gpd.GeoSeries(areas.geometry.to_crs(CRS_BNG).to_numpy(), crs=CRS_BNG)
        inside[shapes.sindex.query(points, predicate="intersects")[0]] = True
        orphan = ~inside
        reason = [f"sub-area {c} lies in no area of the area boundaries, so its people cannot be placed"
                  for c in table[AREA_CODE][orphan]]
        column = "geometry"
    if not orphan.any():
        return subareas
    log = RejectLog(subareas.source)
    for (r, text, code) in zip(rows[orphan], reason, table[AREA_CODE][orphan]):
        log.add(int(r), text, column=column, value=code)
    kept = table[~orphan].reset_index(drop=True)
    kept.attrs["feature_rows"] = rows[~orphan]
    rejects = pd.concat([subareas.rejects, log.frame()], ignore_index=True) if len(subareas.rejects) else log.frame()
    rejects = rejects.sort_values("row", kind="stable").reset_index(drop=True)
    return replace(subareas, table=kept, rejects=rejects, used=subareas.used - int(orphan.sum()))
