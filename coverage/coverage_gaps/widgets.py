"""Interactive explorer for JupyterLab: change a setting, see the map and table change.

Used by ``notebooks/01-explore-coverage.ipynb``; needs the ``notebooks`` extra
(ipywidgets).  All logic stays in the library: the widgets only call
:func:`coverage_gaps.pipeline.run_profile` with the inputs loaded once.
"""

from __future__ import annotations

import pandas as pd

from .config import Profile
from .gaps import RANK_MEASURES
from .measures import RULES
from .pipeline import Inputs, run_profile
from .result import Result

__all__ = ["explorer", "area_details", "catchment_range"]

def area_details(result: Result, area_code: str) -> dict[str, pd.DataFrame]:
    """Everything known about one area: measures, providers inside it, candidates to train.

    Parameters
    ----------
    result
        A Result.
    area_code
        An ONS code present in ``result.areas``.

    Returns
    -------
    dict
        ``measures`` (one column, a row per measure), ``providers`` (public
        fields of providers inside the area, points at the profile's
        location precision: :mod:`coverage_gaps.publish`) and ``candidates``.
    """
    from .publish import public_providers

    areas = result.targets.set_index("area_code")
    if area_code not in areas.index:
        raise KeyError(f"area {area_code!r} is not in this result; try one of {', '.join(areas.index[:5])} ...")
    providers = public_providers(result)
    return {
        "measures": areas.loc[[area_code]].T.rename(columns={area_code: "value"}),
        "providers": providers[providers.get("area_code", "") == area_code].reset_index(drop=True),
        "candidates": result.candidates[result.candidates["area_code"] == area_code].reset_index(drop=True),
    }


def catchment_range(catchment_km: float) -> dict:
    """Slider bounds that hold the profile's catchment: 5 to 80 km in 5 km steps, widened (never clamped) to fit it."""
    step = 5.0
    low = min(step, catchment_km)
    high = max(80.0, -(-catchment_km // step) * step)
    return {"min": low, "max": high, "step": step if catchment_km % step == 0 else 0.5}


def explorer(profile: Profile, inputs: Inputs, *, top: int | None = None):
    """A widget: catchment, decay, supply rule, ranking and map measure controls above a map and table.

    Parameters
    ----------
    profile
        The loaded profile (its settings are the starting values).
    inputs
        Inputs loaded once with :func:`coverage_gaps.pipeline.load_inputs`.
    top
        Rows of the ranked table to show (default: the profile's ``top``).

    Returns
    -------
    ipywidgets.VBox
        Display it in a notebook cell; ``.result`` holds the latest Result.
    """
    from ._extras import require

    w = require("ipywidgets", purpose="the interactive explorer")
    from IPython.display import HTML, display

    from .maps import MAP_MEASURES, coverage_map

    from .columns import heading
    from .maps import MEASURES
    from .notebook import area_details as readable_details
    from .notebook import targets

    s = profile.analysis
    wide = {"style": {"description_width": "initial"}, "layout": w.Layout(width="auto", min_width="300px")}
    bounds = catchment_range(float(s.catchment_km))
    catchment = w.FloatSlider(value=float(s.catchment_km), readout_format=".0f" if bounds["step"] >= 1 else ".1f",
                              description="Catchment: how far people travel (km)", **bounds, **wide)
    decays = [("Gaussian: counts less with distance", "gaussian"),
              ("Step: all inside the catchment, none outside", "step")]
    if s.decay_table:
        decays.append(("Table: the profile's distance table", "table"))
    decay = w.Dropdown(options=decays, value=s.decay, description="Distance decay", **wide)
    rule = w.Dropdown(options=[(f"{name}: {text}", name) for name, text in RULES.items()], value=s.rule,
                      description="Supply counted", **wide)
    rank_by = w.Dropdown(options=[(heading(m), m) for m in RANK_MEASURES], value=s.rank_by,
                         description="Rank areas by", **wide)
    measure = w.Dropdown(options=[(MEASURES[m].label, m) for m in MAP_MEASURES], value="unmet_demand",
                         description="Map shading (second view)", **wide)
    area = w.Dropdown(options=[], description="Drill into area", **wide)
    map_out, table_out, area_out = w.Output(), w.Output(), w.Output()
    box = w.VBox([catchment, w.HBox([decay, rank_by]), rule, w.HBox([measure, area]), map_out, table_out, area_out])

    def show_area(_=None) -> None:
        area_out.clear_output()
        if area.value:
            with area_out:
                titles = {"measures": "Measures", "providers": "Providers inside the area",
                          "candidates": "Partners to train"}
                for name, table in readable_details(box.result, area.value).items():
                    display(HTML(f"<h4>{titles[name]}</h4>"), table)

    def update(_=None) -> None:
        box.result = run_profile(profile, inputs=inputs, overrides={
            "catchment_km": float(catchment.value), "decay": decay.value, "rule": rule.value, "rank_by": rank_by.value})
        map_out.clear_output(wait=True)
        table_out.clear_output(wait=True)
        with map_out:
            display(coverage_map(box.result, measure=measure.value))
        with table_out:
            display(targets(box.result, top=top))
        codes = box.result.targets["area_code"].tolist()
        area.options = [("", "")] + list(zip(box.result.targets["area_name"], codes))
        show_area()

    for control in (catchment, decay, rule, rank_by, measure):
        control.observe(update, names="value")
    area.observe(show_area, names="value")
    update()
    return box
