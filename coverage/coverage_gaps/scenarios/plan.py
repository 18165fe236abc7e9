"""Which ``k`` organisations to train first: the greedy plan and how close it comes.

:func:`best_to_train` precomputes what every candidate would add
(:mod:`.model`), picks greedily with lazy evaluation (:mod:`.greedy`), then
re-runs the full analysis with the picks trained (:func:`.whatif.what_if`) so
the before/after figures are exactly those a user would get by editing the
partner file.  On the covering objective it also solves the problem exactly
(:mod:`.exact`) and reports greedy / exact.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import InvalidValueError, describe
from ..result import Result
from ..settings import AnalysisSettings
from ..schema import AREA_CODE, AREA_NAME, PROVIDER_ID, PROVIDER_NAME
from .changes import Upskill
from .exact import exact_cover
from .greedy import greedy
from .model import TrainingModel, build_model
from .whatif import Scenario, what_if

__all__ = ["Plan", "best_to_train", "OBJECTIVES", "PLAN_COLUMNS"]

#: What a plan can optimise, and the unit of its gains.
OBJECTIVES = {
    "unmet_demand": "people whose need is no longer unmet (E2SFCA access against the benchmark)",
    "covered": "people newly within the catchment of a qualifying adviser",
}
#: Columns of :attr:`Plan.picks` (and plan.csv).
PLAN_COLUMNS = ["order", PROVIDER_ID, "organisation", AREA_CODE, AREA_NAME, "gain", "cumulative_gain", "areas_served"]


@dataclass
class Plan:
    """A training plan.

    Attributes
    ----------
    picks
        :data:`PLAN_COLUMNS`: the order of choice, the organisation and the
        area it sits in, its marginal ``gain`` (in the objective's unit, see
        :data:`OBJECTIVES`) and ``areas_served``: the study areas whose
        unmet demand fell (or whose demand in reach rose), largest first.
    objective, k
        What was optimised and how many were asked for.
    scenario
        The full re-run with the picks trained (``scenario.table`` is the
        per-area before/after table).
    candidates
        The organisations considered.
    predicted_unmet_demand_after
        Total unmet demand after training, from the incremental model (equals
        the full re-run's up to float rounding).
    covered_before, covered_after
        Demand in the study region within the catchment of a qualifying
        provider, before and after the plan.
    exact
        Greedy on the covering objective against the exact optimum (None
        when not computed): ``greedy_covered``, ``exact_covered``, ``ratio``
        (greedy / exact, at most 1), ``plan_covered`` (demand in reach with
        this plan's picks), ``greedy_picks``, ``exact_picks`` and the
        solver's ``status``.
    """

    picks: pd.DataFrame
    objective: str
    k: int
    scenario: Scenario
    candidates: pd.DataFrame
    predicted_unmet_demand_after: float
    covered_before: float
    covered_after: float
    exact: dict | None = None
    evaluations: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def unmet_demand_before(self) -> float:
        return self.scenario.unmet_demand_before

    @property
    def unmet_demand_after(self) -> float:
        return self.scenario.unmet_demand_after

    @property
    def before_after(self) -> pd.DataFrame:
        """The per-area change table (see :func:`~.whatif.compare`)."""
        return self.scenario.table

    def to_dict(self) -> dict:
        """Plain data for JSON: totals, picks, deserts closed, the exact comparison."""
        picks = self.picks.assign(gain=self.picks["gain"].round(3), cumulative_gain=self.picks["cumulative_gain"].round(3))
        return {
            "objective": self.objective,
            "k": self.k,
            "unmet_demand_before": round(self.unmet_demand_before, 3),
            "unmet_demand_after": round(self.unmet_demand_after, 3),
            "covered_before": round(self.covered_before, 3),
            "covered_after": round(self.covered_after, 3),
            "deserts_closed": self.scenario.deserts_closed,
            "picks": picks.astype(object).where(picks.notna(), None).to_dict("records"),
            "exact": self.exact,
            "notes": list(self.notes) + list(self.scenario.notes),
        }


def _served(by_area: np.ndarray, names: np.ndarray, *, limit: int = 8) -> str:
    order = np.argsort(-by_area, kind="stable")
    parts = []
    for a in order[:limit]:
        if by_area[a] <= 1e-9:
            break
        value = f"{by_area[a]:,.0f}" if by_area[a] >= 1 else f"{by_area[a]:.2g}"
        parts.append(f"{names[a]} ({value})")
    more = int((by_area > 1e-9).sum()) - len(parts)
    return "; ".join(parts) + (f"; and {more} more" if more > 0 else "")


def _picks_table(model: TrainingModel, picks) -> pd.DataFrame:
    cand = model.candidates
    rows = []
    total = 0.0
    for order, p in enumerate(picks, start=1):
        c = cand.iloc[p.index]
        total += p.gain
        rows.append({"order": order, PROVIDER_ID: c[PROVIDER_ID], "organisation": c[PROVIDER_NAME],
                     AREA_CODE: c[AREA_CODE], AREA_NAME: c[AREA_NAME], "gain": p.gain, "cumulative_gain": total,
                     "areas_served": _served(p.by_area, model.area_names)})
    return pd.DataFrame(rows, columns=PLAN_COLUMNS)


def _exact(model: TrainingModel, k: int, plan_idx: list[int]) -> dict:
    greedy_idx = [p.index for p in greedy(model.cover, k, tiebreak=model.unmet)]
    cover = model.cover
    solution = exact_cover(cover.demand, model.candidate_km, model.existing_km, catchment_km=model.catchment_km, k=k)
    ids = model.candidates[PROVIDER_ID].to_numpy()
    greedy_covered = cover.covered_demand(greedy_idx)
    return {
        "greedy_covered": round(greedy_covered, 3),
        "exact_covered": round(solution.covered, 3),
        "ratio": round(greedy_covered / solution.covered, 4) if solution.covered > 0 else 1.0,
        "plan_covered": round(cover.covered_demand(plan_idx), 3),
        "greedy_picks": [str(ids[j]) for j in greedy_idx],
        "exact_picks": [str(ids[j]) for j in solution.chosen],
        "status": solution.status,
    }


def best_to_train(inputs, settings: AnalysisSettings | dict, k: int, *, candidates=None, objective: str = "unmet_demand",
                  regions=(), exact: bool = True, before: Result | None = None) -> Plan:
    """Choose ``k`` organisations to train to OISC Level 2 in Asylum and Protection.

    Parameters
    ----------
    inputs, settings, regions
        As for :func:`~coverage_gaps.pipeline.analyse`; each trained
        organisation gets ``settings.trained_capacity`` (default 1).
    k
        How many organisations to train.
    candidates
        provider_id values to choose from; None means the trainable partners
        (Level 0/1, no LAA contract, not regulated, status partner, prospective or trained)
        inside or within ``candidate_km`` of the study region.
    objective
        ``"unmet_demand"``: minimise total unmet demand in the study region
        (benchmark held at its level before training); ``"covered"``: maximise
        the demand within ``catchment_km`` of a qualifying provider.
    exact
        Also solve the covering problem exactly (a sparse maximal covering
        model solved by HiGHS, :func:`~.exact.exact_cover`) and report how
        close greedy comes; ``coverage-gaps plan --no-exact`` turns it off.
    before
        The baseline Result, when already computed with the same settings.

    Returns
    -------
    Plan
        Fewer than ``k`` picks when no further candidate would gain anything
        (said in ``notes``).

    Raises
    ------
    InvalidValueError
        Unknown objective, ``k`` below 1, unknown candidate ids.
    """
    start = time.perf_counter()
    if objective not in OBJECTIVES:
        raise InvalidValueError(describe("unknown plan objective", column="objective", value=objective,
                                         expected=" or ".join(repr(o) for o in OBJECTIVES),
                                         fix="use 'unmet_demand' (default) or 'covered'"))
    if not isinstance(k, (int, np.integer)) or k < 1:
        raise InvalidValueError(describe("the number to train must be a whole number of 1 or more", column="k",
                                         value=k, fix="pass --train 5, say"))
    settings = AnalysisSettings.of(settings)
    model = build_model(inputs, settings, regions=regions, candidates=candidates, before=before)
    notes = list(model.notes)
    chooser, other = (model.unmet, model.cover) if objective == "unmet_demand" else (model.cover, model.unmet)
    picks = greedy(chooser, k, tiebreak=other)
    chosen = [p.index for p in picks]
    if len(picks) < k:
        notes.append(f"only {len(picks)} of {len(model.candidates)} candidates would gain anything; "
                     f"{k - len(picks)} fewer picks than asked")
    ids = model.candidates[PROVIDER_ID].to_numpy()[chosen].tolist()
    scenario = what_if(inputs, settings, [Upskill(tuple(ids))] if ids else [], regions=regions, before=model.before)
    predicted = float(model.unmet.unmet_by_area(chosen).sum())
    return Plan(
        picks=_picks_table(model, picks),
        objective=objective,
        k=int(k),
        scenario=scenario,
        candidates=model.candidates,
        predicted_unmet_demand_after=predicted,
        covered_before=model.cover.covered_demand(()),
        covered_after=model.cover.covered_demand(chosen),
        exact=_exact(model, k, chosen) if exact and len(model.candidates) else None,
        evaluations=picks[-1].evaluations if picks else 0,
        seconds=time.perf_counter() - start,
        notes=notes,
    )
