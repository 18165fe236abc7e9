"""Scenarios for programme planning: what if we trained these organisations, and whom first?

The charity's lever is training local organisations to OISC Level 2 in Asylum
and Protection.  This package answers three planning questions with the same
measures as the main analysis:

* **What if?**  :func:`what_if` applies changes (:class:`Upskill`,
  :class:`AddProviders`, :class:`RemoveProviders`, :class:`SetCapacity`, or
  dicts) to a copy of the inputs, re-runs the analysis and returns a
  :class:`Scenario` with the new Result, a before/after table per area and the
  deserts closed.
* **Whom first?**  :func:`best_to_train` chooses ``k`` candidate partners
  greedily (lazy evaluation, from precomputed E2SFCA increments) to cut unmet
  demand or to cover the most demand, and compares greedy with the exact
  maximal covering optimum (a sparse model solved by HiGHS through scipy).
* **What changed?**  :func:`compare` lines up any two Results (programme start
  and end, two quarters of demand); :func:`with_providers` and
  :func:`with_demand` swap one snapshot for another (:func:`harmonised_to`
  loads it against the same boundaries), :func:`demand_series` lists every
  quarter loaded, :func:`change_layer` readies a change column for a map.
  Scenarios take loaded inputs and never read a file.
"""

from .changes import AddProviders, RemoveProviders, SetCapacity, Upskill, apply_changes, as_change
from .exact import ExactCover, exact_cover
from .greedy import CoverageGain, UnmetReduction, brute_force, greedy
from .model import TrainingModel, build_model
from .plan import OBJECTIVES, PLAN_COLUMNS, Plan, best_to_train
from .series import change_layer, demand_series, harmonised_to, with_demand, with_providers
from .whatif import CHANGE_COLUMNS, Scenario, compare, what_if

__all__ = [
    "AddProviders",
    "CHANGE_COLUMNS",
    "CoverageGain",
    "ExactCover",
    "OBJECTIVES",
    "PLAN_COLUMNS",
    "Plan",
    "RemoveProviders",
    "Scenario",
    "SetCapacity",
    "TrainingModel",
    "UnmetReduction",
    "Upskill",
    "apply_changes",
    "as_change",
    "best_to_train",
    "brute_force",
    "build_model",
    "change_layer",
    "compare",
    "harmonised_to",
    "demand_series",
    "exact_cover",
    "greedy",
    "what_if",
    "with_demand",
    "with_providers",
]
