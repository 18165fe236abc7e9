"""The training model: what each candidate would add, computed once.

Choosing ``k`` of ``m`` candidates greedily evaluates thousands of sets; each
evaluation must not re-read inputs or redo spatial joins.  The E2SFCA makes
this easy: training candidate ``j`` (capacity ``S_j``) leaves every other
provider's ratio ``R = S / sum_i D_i W_i`` unchanged and adds
``S_j W_ij / sum_k D_k W_kj`` to each demand point ``i``'s access.  So the
access every candidate adds to every area is one small matrix, built once from
the same demand points, pairs and decay weights as
:func:`coverage_gaps.pipeline.analyse`; a set's effect is a sum of rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import sparse

from .. import gaps, measures
from ..errors import InvalidValueError, describe
from ..settings import AnalysisSettings
from ..result import Result
from ..schema import (
    ACCESS,
    AREA_CODE,
    AREA_NAME,
    CAPACITY,
    DEMAND,
    OISC_LEVEL,
    PROVIDER_ID,
    PROVIDER_NAME,
    STATUS,
)
from .exact import reach_matrix
from .greedy import CoverageGain, UnmetReduction

__all__ = ["TrainingModel", "build_model", "demand_points_for"]

CANDIDATE_COLUMNS = [PROVIDER_ID, PROVIDER_NAME, AREA_CODE, AREA_NAME, OISC_LEVEL, STATUS, "capacity_trained"]


def demand_points_for(inputs, settings: AnalysisSettings | dict):
    """Every area's demand points, exactly as :func:`~coverage_gaps.pipeline.analyse` places them.

    Returns a GeoDataFrame ``area_code, point_code, demand, [population], geometry``
    over every area in the data (not only the study region).
    """
    from ..pipeline import place_demand

    return place_demand(inputs, AnalysisSettings.of(settings))[1]


@dataclass
class TrainingModel:
    """Everything needed to score any set of candidates without re-running the analysis.

    Attributes
    ----------
    before
        The baseline Result (study region).
    candidates
        One row per candidate organisation (:data:`CANDIDATE_COLUMNS`), in the
        order the objectives index them.
    unmet
        :class:`~.greedy.UnmetReduction` over the study areas (in the order of
        ``before.areas``).
    cover
        :class:`~.greedy.CoverageGain` over the study region's demand points.
    candidate_km, existing_km
        Sparse (``scipy.sparse`` CSR) distances in km from each study demand
        point (rows) to each candidate and to each qualifying provider
        (columns): only the pairs within the catchment are stored.  The input
        of the exact covering model (:func:`~.exact.exact_cover`).
    """

    before: Result
    candidates: pd.DataFrame
    unmet: UnmetReduction
    cover: CoverageGain
    candidate_km: sparse.csr_matrix
    existing_km: sparse.csr_matrix
    catchment_km: float
    notes: list[str] = field(default_factory=list)

    @property
    def area_codes(self) -> np.ndarray:
        return self.before.areas[AREA_CODE].to_numpy(dtype=object)

    @property
    def area_names(self) -> np.ndarray:
        return self.before.areas[AREA_NAME].to_numpy(dtype=object)


def _candidate_pool(before: Result, settings: AnalysisSettings, candidates) -> tuple[pd.DataFrame, list[str]]:
    providers = before.providers
    notes: list[str] = []
    if candidates is None:
        found = gaps.find_candidates(before.areas, providers, within_km=float(settings.candidate_km),
                                     per_area=max(len(providers), 1))
        ids = list(dict.fromkeys(found[PROVIDER_ID].astype(str)))
        notes.append(f"{len(ids)} candidate partners (Level 0/1, not LAA or regulated, status partner, "
                     f"prospective or trained) inside or within {float(settings.candidate_km):g} km of the study region")
    else:
        ids = list(dict.fromkeys(str(c) for c in candidates))
        known = set(providers[PROVIDER_ID].astype(str))
        unknown = [c for c in ids if c not in known]
        if unknown:
            raise InvalidValueError(describe(
                f"{len(unknown)} candidate(s) are not among the providers", column=PROVIDER_ID, value=unknown[:5],
                expected="provider_id values of the profile's provider files",
                fix="check the ids in the candidates list against Result.providers"))
    pool = providers[providers[PROVIDER_ID].astype(str).isin(ids)]
    if pool[PROVIDER_ID].astype(str).duplicated().any():
        dup = pool.loc[pool[PROVIDER_ID].astype(str).duplicated(), PROVIDER_ID].iloc[0]
        raise InvalidValueError(describe("provider_id names more than one provider", column=PROVIDER_ID, value=dup,
                                         fix="give each provider its own id across the provider files"))
    already = pool["qualifying"].astype(bool)
    if already.any():
        notes.append(f"{int(already.sum())} candidate(s) already count as supply and were left out: "
                     + ", ".join(pool.loc[already, PROVIDER_ID].astype(str).head(10)))
    pool = pool[~already]
    return pool.sort_values(PROVIDER_ID, key=lambda s: s.astype(str), kind="mergesort"), notes


def build_model(inputs, settings: AnalysisSettings | dict, *, regions=(), candidates=None, before: Result | None = None) -> TrainingModel:
    """Precompute what each candidate adds to each study area's access and coverage.

    Parameters
    ----------
    inputs, settings, regions
        As for :func:`~coverage_gaps.pipeline.analyse`.
    candidates
        provider_id values to choose from; None means the trainable partners
        inside or within ``candidate_km`` of the study region.  Candidates that
        already count as supply are left out (with a note).
    before
        The baseline Result, when already computed with the same settings.

    Raises
    ------
    InvalidValueError
        Unknown candidate ids, ambiguous ids, bad settings.
    """
    from ..pipeline import analyse

    settings = AnalysisSettings.of(settings)  # checked once, here or by the profile
    if before is None:
        before = analyse(inputs, settings, regions=regions)
    catchment = float(settings.catchment_km)
    decay = measures.make_decay(settings.decay, catchment_km=catchment, table=settings.decay_table or None)
    trained = float(settings.trained_capacity or 1.0)
    pool, notes = _candidate_pool(before, settings, candidates)

    points = demand_points_for(inputs, settings)
    demand = points[DEMAND].to_numpy(dtype=float)
    xy = measures.coords(points, what="demand points")
    cand_xy = measures.coords(pool, what="candidates") if len(pool) else np.empty((0, 2))
    study = before.areas.reset_index(drop=True)
    n_areas = len(study)
    slot = pd.Series(np.arange(n_areas), index=study[AREA_CODE].astype(str).to_numpy())
    point_area = slot.reindex(points[AREA_CODE].astype(str).to_numpy()).fillna(-1).to_numpy(dtype=np.intp)

    # E2SFCA increments: point i gains S_j W_ij / sum_k D_k W_kj (per 1,000 people in demand).
    # Only the pairs within reach of a candidate are held (as many as the candidates reach).
    i, j, dist = measures.pairs_within(xy, cand_xy, max_km=catchment)
    ratio = measures.fca_ratio(demand, np.full(len(pool), trained * 1_000.0), i, j, dist, decay=decay)
    w = np.asarray(decay(dist), dtype=float).reshape(-1)
    inside = point_area[i] >= 0
    # Sparse (candidate, area) cells: summed in pair order, as a dense bincount over every cell would sum them.
    cell = j[inside].astype(np.int64) * n_areas + point_area[i[inside]]
    cells, at = np.unique(cell, return_inverse=True)
    added = np.bincount(at, weights=demand[i[inside]] * w[inside] * ratio[j[inside]], minlength=len(cells))
    area_demand = study[DEMAND].fillna(0.0).to_numpy(dtype=float)  # no data counts as 0 in the measures
    cand, area = np.divmod(cells, n_areas)
    added = np.divide(added, area_demand[area], out=np.zeros(len(cells)), where=area_demand[area] > 0)
    gains = sparse.csr_matrix((added, (cand, area)), shape=(len(pool), n_areas))
    unmet = UnmetReduction(area_demand, study[ACCESS].fillna(0.0).to_numpy(dtype=float), before.benchmark, gains)

    # Coverage: study points within the catchment of a candidate or a qualifying provider (sparse: pairs in reach).
    keep = np.flatnonzero(point_area >= 0)
    position = np.full(len(points), -1, dtype=np.intp)
    position[keep] = np.arange(len(keep))
    near = (dist <= catchment) & inside
    candidate_km = sparse.csr_matrix((dist[near], (position[i[near]], j[near])), shape=(len(keep), len(pool)))
    qual = before.providers[before.providers["qualifying"].astype(bool)]
    qual_xy = measures.coords(qual, what="providers") if len(qual) else np.empty((0, 2))
    qi, qj, qd = measures.pairs_within(xy[keep], qual_xy, max_km=catchment)
    existing_km = sparse.csr_matrix((qd, (qi, qj)), shape=(len(keep), len(qual)))
    covered = np.zeros(len(keep), dtype=bool)
    covered[qi] = True
    reach = reach_matrix(candidate_km, len(keep), catchment_km=catchment)
    cover = CoverageGain(demand[keep], covered, reach.T, area=point_area[keep], n_areas=n_areas)

    table = pd.DataFrame({
        PROVIDER_ID: pool[PROVIDER_ID].astype(str).to_numpy(),
        PROVIDER_NAME: pool[PROVIDER_NAME].astype(str).to_numpy(),
        AREA_CODE: pool[AREA_CODE].astype(str).to_numpy(),
        AREA_NAME: pool[AREA_NAME].astype(str).to_numpy(),
        OISC_LEVEL: measures.supply.levels(pool),
        STATUS: pool[STATUS].fillna("").astype(str).to_numpy(),
        "capacity_trained": trained,
    })
    if CAPACITY in pool.columns:
        table["capacity_now"] = pd.to_numeric(pool[CAPACITY], errors="coerce").to_numpy(dtype=float)
    return TrainingModel(before=before, candidates=table, unmet=unmet, cover=cover, candidate_km=candidate_km,
                         existing_km=existing_km, catchment_km=catchment, notes=notes)
