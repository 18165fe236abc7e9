"""Gaps: categorise, rank and explain the areas, test the ranks' stability, and find partners to train.

Reads the per-area measures (see :mod:`coverage_gaps.measures`) and turns them
into a target list a planner can act on and a funder can read:

* :mod:`.categories`: one gap category per area and the words for the shortfall measure;
* :mod:`.ranking`: the rank (1 = target first);
* :mod:`.reasons`: a plain-English reason per area;
* :mod:`.stability`: each rank under a grid of catchments and decays;
* :mod:`.candidates`: partners to train, and why an area has none.
"""

from .candidates import find_candidates, no_candidates_text, partner_list_supplied
from .categories import Shortfall, classify, is_standard, share_beyond_reach, shortfall
from .ranking import RANK_MEASURES, rank_areas, rankable
from .reasons import demand_label, explain, reason_phrases, reasons
from .stability import TOP_N, rank_stability, stability_grid

__all__ = [
    "RANK_MEASURES",
    "Shortfall",
    "TOP_N",
    "classify",
    "demand_label",
    "explain",
    "find_candidates",
    "is_standard",
    "no_candidates_text",
    "partner_list_supplied",
    "rank_areas",
    "rank_stability",
    "rankable",
    "reasons",
    "reason_phrases",
    "share_beyond_reach",
    "shortfall",
    "stability_grid",
]
