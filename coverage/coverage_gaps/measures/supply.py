"""Which providers count as supply, and which only signpost.

Asylum advice may be given only at OISC (Immigration Advice Authority) Level 2
or 3 in the *Asylum and Protection* category, by regulated lawyers (SRA,
CILEx, Bar) or by Legal Aid Agency immigration contract offices.  Level 1
organisations may give advice and assistance in *Immigration* but never
substantive asylum advice: they are reported separately as signposting
capacity (``level1_providers``), never as asylum supply.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._validate import require_columns
from ..errors import InvalidValueError, describe
from ..schema import CATEGORIES, CATEGORY_ASYLUM, CATEGORY_IMMIGRATION, LAA_CONTRACT, OISC_LEVEL, PROVIDER_ID, REGULATED

__all__ = ["RULES", "is_qualifying", "is_signposting", "is_lawyer", "has_category", "levels"]

#: Supply rules and what each counts (see :func:`is_qualifying`).
RULES = {
    "asylum": "OISC Level 2+ in Asylum and Protection, or an LAA immigration contract, or a regulated lawyer",
    "immigration": "OISC Level 1+ in Immigration or Asylum and Protection, or an LAA contract, or a regulated lawyer",
    "any": "any OISC level (1-3) in any category, or an LAA contract, or a regulated lawyer",
}


def _flag(providers: pd.DataFrame, column: str) -> np.ndarray:
    """A boolean column as a plain bool array (missing values are False)."""
    values = providers[column]
    if values.dtype == bool:
        return values.to_numpy()
    return values.astype("boolean").fillna(False).to_numpy(dtype=bool)


def is_lawyer(providers: pd.DataFrame) -> np.ndarray:
    """LAA contract offices and regulated lawyers: supply at every level, whatever their OISC level."""
    return _flag(providers, LAA_CONTRACT) | _flag(providers, REGULATED)


def levels(providers: pd.DataFrame) -> np.ndarray:
    """OISC level of each provider as an int array (missing counts as 0, none).

    Raises
    ------
    InvalidValueError
        A level outside 0-3 or not a whole number (naming the provider).
    """
    require_columns(providers, [OISC_LEVEL], file="providers", fix="load providers with coverage_gaps.io")
    raw = pd.to_numeric(providers[OISC_LEVEL], errors="coerce")
    bad = raw.notna() & ~raw.isin([0, 1, 2, 3])
    bad |= providers[OISC_LEVEL].notna() & raw.isna()
    if bad.any():
        k = int(np.flatnonzero(bad.to_numpy())[0])
        who = f" for provider {providers[PROVIDER_ID].iloc[k]!r}" if PROVIDER_ID in providers.columns else ""
        raise InvalidValueError(
            describe(
                "OISC level not recognised" + who,
                file="providers",
                column=OISC_LEVEL,
                value=_plain(providers[OISC_LEVEL].iloc[k]),
                expected="0 (none), 1, 2 or 3",
                fix="load providers with coverage_gaps.io, which validates the level",
            )
        )
    return raw.fillna(0).to_numpy(dtype=np.int64)


def has_category(providers: pd.DataFrame, category: str) -> np.ndarray:
    """True where the ``;``-joined ``categories`` field lists ``category``.

    Matching ignores case and spaces around the separators; a missing field
    lists nothing.
    """
    require_columns(providers, [CATEGORIES], file="providers", fix="load providers with coverage_gaps.io")
    text = providers[CATEGORIES].astype("string").fillna("").str.lower().str.replace(" ", "", regex=False)
    return (";" + text + ";").str.contains(f";{category};", regex=False).to_numpy(dtype=bool)


def is_qualifying(providers: pd.DataFrame, *, rule: str = "asylum") -> pd.Series:
    """Which providers count as advice supply under a rule.

    Parameters
    ----------
    providers
        Providers table (``oisc_level``, ``categories``, ``laa_contract``,
        ``regulated``).
    rule
        ``"asylum"`` (default): (``oisc_level`` >= 2 and ``asylum`` in
        ``categories``) or ``laa_contract`` or ``regulated``.  Level 1 is
        never asylum supply.
        ``"immigration"``: (``oisc_level`` >= 1 and ``immigration`` or
        ``asylum`` in ``categories``) or ``laa_contract`` or ``regulated``.
        ``"any"``: ``oisc_level`` >= 1 in any (or no listed) category, or
        ``laa_contract`` or ``regulated``.  A provider with no accreditation
        (level 0, no contract, not regulated) never counts: it is a training
        candidate, not supply.

    Returns
    -------
    pandas.Series
        Booleans on the providers' index, named ``qualifying``.

    Raises
    ------
    InvalidValueError
        ``rule`` is not one of :data:`RULES` (the message lists them).
    MissingColumnError
        A needed column is absent.
    """
    if rule not in RULES:
        raise InvalidValueError(
            describe(
                "unknown supply rule",
                column="rule",
                value=rule,
                expected="one of " + ", ".join(f"{name!r}" for name in RULES),
                fix="'asylum' counts Level 2+ asylum advisers, LAA contract offices and regulated lawyers",
            )
        )
    require_columns(
        providers,
        [OISC_LEVEL, CATEGORIES, LAA_CONTRACT, REGULATED],
        file="providers",
        fix="load providers with coverage_gaps.io, which fills these columns",
    )
    level = levels(providers)
    lawyer = is_lawyer(providers)
    asylum = has_category(providers, CATEGORY_ASYLUM)
    if rule == "asylum":
        accredited = (level >= 2) & asylum
    elif rule == "immigration":
        accredited = (level >= 1) & (asylum | has_category(providers, CATEGORY_IMMIGRATION))
    else:
        accredited = level >= 1
    return pd.Series(accredited | lawyer, index=providers.index, name="qualifying")


def is_signposting(providers: pd.DataFrame) -> pd.Series:
    """Level 1 providers: advice and assistance, reported as signposting capacity.

    A Level 1 organisation that also holds an LAA contract or employs a
    regulated lawyer is asylum supply (see :func:`is_qualifying`), so it is not
    counted here; every other Level 1 provider is, whatever its categories.

    Returns
    -------
    pandas.Series
        Booleans on the providers' index, named ``signposting``.
    """
    require_columns(providers, [OISC_LEVEL, LAA_CONTRACT, REGULATED], file="providers",
                    fix="load providers with coverage_gaps.io, which fills these columns")
    lawyer = is_lawyer(providers)
    return pd.Series((levels(providers) == 1) & ~lawyer, index=providers.index, name="signposting")


def _plain(value):
    """A numpy scalar as the Python value a user typed (for messages)."""
    return value.item() if hasattr(value, "item") else value
