"""Boundary vintages: local authority codes merged, split or recoded, and figures moved onto the boundaries in use.

Each Home Office or ONS release uses the district codes of its own date; the
boundaries of a profile are of one vintage (e.g. LAD December 2022).  A
figure given for a code the boundaries do not have is *harmonised* here:

* **predecessor over newer boundaries** (Carlisle ``E07000028`` in a file,
  Cumberland ``E06000063`` in the boundaries): the figure is summed into its
  successor (exact);
* **successor over older boundaries** (Cumberland in the file, its three old
  districts in the boundaries): the figure is split over its predecessors by a
  weight (the population input where there is one, else equal shares) and is
  an *estimate*; the output says which;
* **recode** (Glasgow City ``S12000046`` to ``S12000049``): moved whole.

The built-in table (:data:`CHANGES_FILE`, from the ONS code history and its
LADyy-to-LADzz lookups) lists every change since GSS codes began (2011) with
the date it took effect.  A profile can add an ONS lookup of its own
(:func:`read_lookup`).  Districts abolished in 2009 never had GSS codes, so no
Home Office table uses them.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import InvalidValueError, MissingColumnError, describe
from .schema import AREA_CODE

__all__ = ["CHANGES_FILE", "code_changes", "read_lookup", "resolve", "harmonise", "known_codes", "HARMONISED_COLUMNS"]

#: The built-in table of district code changes (package data).
CHANGES_FILE = "lad_code_changes.csv"
#: Columns of the harmonised-codes table (``Result.harmonised``, ``harmonised.csv``).
HARMONISED_COLUMNS = ["input", "date", "code", "to_codes", "people", "method"]
_CHANGE_COLUMNS = ["old_code", "old_name", "new_code", "new_name", "date", "change"]


def code_changes(extra: pd.DataFrame | None = None) -> pd.DataFrame:
    """The built-in code changes, plus ``extra`` rows (e.g. from :func:`read_lookup`), which win on conflict.

    Returns
    -------
    pandas.DataFrame
        ``old_code, old_name, new_code, new_name, date, change``: one row per
        predecessor and successor pair.
    """
    with resources.files("coverage_gaps").joinpath("data", CHANGES_FILE).open("r", encoding="utf-8") as f:
        table = pd.read_csv(f, dtype=str, keep_default_na=False)
    if extra is not None and len(extra):
        extra = extra.reindex(columns=_CHANGE_COLUMNS).fillna("")
        table = pd.concat([extra, table[~table["old_code"].isin(extra["old_code"])]], ignore_index=True)
    return table


def read_lookup(path: str | Path) -> pd.DataFrame:
    """Read an ONS LADyy-to-LADzz lookup (``LAD22CD, LAD22NM, LAD23CD, LAD23NM``) as code changes.

    The column with the older year holds the predecessors.  Rows whose code
    does not change are left out.

    Raises
    ------
    MissingColumnError
        Fewer than two ``LADyyCD`` columns of different years.
    InvalidValueError
        A blank code, or an old code mapped to two successors (a district
        split: give the figures on the boundaries that have both parts).
    """
    from .tables import read_table

    file = Path(path).name
    df, first = read_table(path)
    years = {}
    for col in df.columns:
        text = str(col).strip().upper()
        if text.startswith(("LAD", "LTLA", "LA")) and text.endswith("CD") and text[-4:-2].isdigit():
            years.setdefault(int(text[-4:-2]), col)
    if len(years) < 2:
        raise MissingColumnError(describe(
            "a code lookup needs two district code columns of different years", file=file,
            expected="ONS columns such as LAD22CD and LAD23CD; the file has " + ", ".join(map(repr, df.columns)),
            fix="give the ONS 'Local Authority District (yy) to Local Authority District (zz)' lookup as CSV"))
    old_year, new_year = min(years), max(years)
    old_col, new_col = years[old_year], years[new_year]
    names = {y: next((c for c in df.columns if str(c).strip().upper() == str(years[y]).strip().upper()[:-2] + "NM"),
                     None) for y in (old_year, new_year)}
    old = df[old_col].astype("string").str.strip()
    new = df[new_col].astype("string").str.strip()
    blank = old.isna() | new.isna() | old.eq("") | new.eq("")
    if blank.any():
        row = int(np.flatnonzero(blank.to_numpy())[0]) + first
        raise InvalidValueError(describe("a code is blank", file=file, row=row,
                                         column=old_col if (old.isna() | old.eq(""))[blank].iloc[0] else new_col,
                                         expected="a district code on every row", fix="fill in or delete the row"))
    pairs = pd.DataFrame({"old": old, "new": new}).drop_duplicates()
    split = pairs[pairs["old"].duplicated(keep=False)]
    if len(split):
        code = split["old"].iloc[0]
        to = ", ".join(split.loc[split["old"] == code, "new"])
        raise InvalidValueError(describe(
            f"code {code} is mapped to two successors ({to}); a figure for it cannot be placed on one of them",
            file=file, column=new_col, value=code, expected="one successor per old code (a merger or a recode)",
            fix="give the figures on the boundaries that have both parts, or remove the split from the lookup"))
    keep = pairs["old"] != pairs["new"]
    out = pd.DataFrame({
        "old_code": pairs.loc[keep, "old"].astype(str), "new_code": pairs.loc[keep, "new"].astype(str),
        "date": f"20{new_year:02d}", "change": f"{file} (LAD{old_year:02d} to LAD{new_year:02d})"})
    for key, year in (("old_name", old_year), ("new_name", new_year)):
        out[key] = df.loc[out.index, names[year]].astype(str).to_numpy() if names[year] is not None else ""
    return out.reset_index(drop=True).reindex(columns=_CHANGE_COLUMNS)


def resolve(codes, targets, *, changes: pd.DataFrame | None = None) -> dict[str, tuple[str, ...]]:
    """Where each code lies on the ``targets`` boundaries.

    Returns
    -------
    dict
        Code to the target codes it maps to: itself when a target; one
        successor (summed into it); several predecessors (split over them).
        Codes that cannot be placed are left out.
    """
    table = _builtin() if changes is None else changes
    forward = dict(zip(table["old_code"], table["new_code"]))
    backward: dict[str, list[str]] = {}
    for old, new in zip(table["old_code"], table["new_code"]):
        backward.setdefault(new, []).append(old)
    targets = set(targets)

    def down(code: str, depth: int = 0) -> list[str] | None:
        if code in targets:
            return [code]
        if depth > 6 or code not in backward:
            return None
        parts = [down(c, depth + 1) for c in sorted(backward[code])]
        return None if any(p is None for p in parts) else sorted({c for p in parts for c in p})

    out = {}
    for code in pd.unique(pd.Series(list(codes), dtype="string").dropna()):
        code = str(code)
        step, seen = code, set()
        while step not in targets and step in forward and step not in seen:
            seen.add(step)
            step = forward[step]
        found = [step] if step in targets else down(code)
        if found:
            out[code] = tuple(found)
    return out


def harmonise(table: pd.DataFrame, column: str, targets, *, weights: pd.Series | None = None,
              weight_label: str = "population", changes: pd.DataFrame | None = None, input_name: str = "",
              date=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Move a per-code count table onto the ``targets`` boundaries (vectorised: one merge).

    Parameters
    ----------
    table
        ``area_code`` and the count ``column`` (one row per code, any vintage).
    targets
        The codes of the boundaries in use.
    weights
        Per target code (e.g. population), for splitting a successor over its
        predecessors; equal shares where missing or all 0.
    changes
        The code changes (:func:`code_changes`); the built-in table by default.

    Returns
    -------
    table, harmonised
        The counts summed by target code (codes that cannot be placed are
        dropped: check them first with :func:`resolve`), and one row per moved
        code: :data:`HARMONISED_COLUMNS`.
    """
    codes = table[AREA_CODE].astype(str)
    changes = _builtin() if changes is None else changes
    mapping = resolve(codes, targets, changes=changes)
    if all(to == (code,) for code, to in mapping.items()):  # nothing moves (the usual case): sum, no split
        kept = table.assign(to=codes)[codes.isin(list(mapping)).to_numpy()]
        out = kept[column].astype(float).groupby(kept["to"], sort=True).sum(min_count=1)
        result = pd.DataFrame({AREA_CODE: out.index.astype("string"), column: out.to_numpy(dtype=float)})
        nothing = np.array([], dtype=object)  # typed as the moving path types its columns
        return result, _record(input_name, date, pd.Index(nothing).astype(str), nothing, [], nothing.astype(str))
    return _moved(table, codes, column, mapping, weights=weights, weight_label=weight_label, changes=changes,
                  input_name=input_name, date=date)


def _moved(table, codes, column, mapping, *, weights, weight_label, changes, input_name, date):
    """:func:`harmonise` when some code moves: split and summed by the weights, one record row per moved code."""
    pairs = pd.DataFrame([(c, t, len(ts)) for c, ts in mapping.items() for t in ts], columns=["code", "to", "n"])
    w = pd.Series(dtype=float) if weights is None else pd.to_numeric(weights, errors="coerce")
    pairs["w"] = pairs["to"].map(w).astype(float)
    group = pairs.groupby("code")["w"]
    total, complete = group.transform("sum"), group.transform("count") == pairs["n"]
    weighted = complete & (total > 0)
    pairs["share"] = np.where(weighted, pairs["w"] / total.where(total > 0), 1.0 / pairs["n"])
    rows = table.assign(code=codes).merge(pairs, on="code", how="inner")
    rows["value"] = rows[column].astype(float) * rows["share"]
    out = rows.groupby("to", sort=True)["value"].sum(min_count=1)
    result = pd.DataFrame({AREA_CODE: out.index.astype("string"), column: out.to_numpy(dtype=float)})

    moved = pairs[pairs["code"] != pairs["to"]]
    by_code = moved.groupby("code", sort=True)
    first = by_code.first()
    kind = changes.drop_duplicates("old_code").set_index("old_code")["change"]
    split_by = weighted.groupby(pairs["code"]).all().reindex(first.index)
    method = np.select(
        [first["n"].gt(1) & split_by, first["n"].gt(1),
         first.index.to_series().map(kind).fillna("").str.startswith("recode")],
        [f"split by {weight_label} (estimate)", "split in equal shares (estimate)", "recoded"],
        default="summed into its successor")
    people = table.assign(code=codes).drop_duplicates("code").set_index("code")[column].astype(float)
    return result, _record(input_name, date, first.index.astype(str),
                           by_code["to"].agg("; ".join).reindex(first.index).to_numpy(),
                           people.reindex(first.index).to_numpy(), method)


def _record(input_name, date, codes, to_codes, people, method) -> pd.DataFrame:
    """The :data:`HARMONISED_COLUMNS` record of the moved codes (none when nothing moved)."""
    record = pd.DataFrame({"input": input_name, "date": date, "code": codes, "to_codes": to_codes,
                           "people": np.asarray(people, dtype=float), "method": method})
    return record.reset_index(drop=True)[HARMONISED_COLUMNS]


def known_codes(changes: pd.DataFrame | None = None) -> set[str]:
    """Every code the code changes name, old or new."""
    table = _builtin() if changes is None else changes
    return set(table["old_code"]) | set(table["new_code"])


_CACHE: dict[str, pd.DataFrame] = {}


def _builtin() -> pd.DataFrame:
    if "t" not in _CACHE:
        _CACHE["t"] = code_changes()
    return _CACHE["t"]
