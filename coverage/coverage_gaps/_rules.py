"""The rule for one setting of a profile and the checks of its value (the table of rules is in :mod:`.config`).

A :class:`Setting` says a setting's type, default, range or words and any
further check; :func:`problem` says what is wrong with a value, in words an
analyst can act on.  NaN is never a valid number.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

__all__ = ["Setting", "problem"]


@dataclass(frozen=True)
class Setting:
    """One setting: its type, default, allowed range or words, and any further check.

    Adding a setting is one entry in :data:`_SCHEMA` (and, for ``[analysis]``,
    its default here), so every setting is validated in one place.

    Attributes
    ----------
    kind
        Accepted Python type(s) as TOML gives them (``true`` is never a number).
    default
        The value when the profile leaves it out (``[analysis]`` only).
    low, high
        Allowed range for numbers (inclusive unless ``low_open``); NaN is never allowed.
    choices
        Allowed words for text.
    check
        ``check(value) -> problem text or None`` for what a range cannot say.
    """

    kind: object
    default: object = None
    low: float | None = None
    high: float | None = None
    low_open: bool = False
    choices: tuple = ()
    check: object = None


def _decay_table(value) -> str | None:
    steps = [v for v in value if isinstance(v, list) and len(v) == 2 and all(
        isinstance(x, (int, float)) and not isinstance(x, bool) and x == x for x in v)]
    if len(steps) != len(value):
        return "expected [[upper_km, weight], ...] with two numbers in each step"
    uppers = [u for u, _ in steps]
    if any(u <= 0 for u in uppers) or uppers != sorted(set(uppers)):
        return "expected upper_km above 0 and rising from step to step"
    if any(not 0 <= w <= 1 for _, w in steps):
        return "expected weights from 0 to 1"
    return None


def _benchmark(value) -> str | None:
    if isinstance(value, str):
        return None if value == "all" else "expected 'all' (every provider's supply per demand) or a number above 0"
    return None if value == value and value > 0 else "expected 'all' or a number above 0 (capacity per 1,000 people)"


def _iso_date(value) -> str | None:
    try:
        _dt.date.fromisoformat(value[:10])
    except ValueError:
        return "expected a real date written YYYY-MM-DD, e.g. 2026-01-31"
    return None


def _texts(value) -> str | None:
    return None if all(isinstance(v, str) and v.strip() for v in value) else "expected a list of text values"


def _catchments(value) -> str | None:
    ok = all(isinstance(v, (int, float)) and not isinstance(v, bool) and 0 < v <= 1_000 for v in value)
    return None if ok else "expected a list of catchments in km above 0, e.g. [20, 30, 45]"


def _grid_decays(value) -> str | None:
    return None if all(v in ("step", "gaussian") for v in value) else 'expected a list of "step" and/or "gaussian"'


def _region(value) -> str | None:
    return None if isinstance(value, str) or all(isinstance(v, str) for v in value) else \
        "expected a region code or a list of region codes (text)"


def _columns(value) -> str | None:
    from .io.partners import PARTNER_COLUMNS  # imported here: config stays importable without the loaders

    unknown = [k for k in value if k not in PARTNER_COLUMNS]
    if unknown:
        return f"unknown field(s) {', '.join(map(repr, unknown))}; expected fields among {', '.join(PARTNER_COLUMNS)}"
    wrong = [k for k, v in value.items() if not isinstance(v, str) or not v.strip()]
    if wrong:
        return f"{', '.join(f'{k} = {value[k]!r}' for k in wrong)}: expected the file's header as text, e.g. " \
            '{ name = "Organisation" }'
    return None


def _type_name(expected) -> str:
    names = {str: "text", bool: "true/false", int: "a whole number", float: "a number", list: "a list", dict: "a table"}
    if isinstance(expected, tuple):
        return " or ".join(dict.fromkeys(names[t] for t in expected))
    return names[expected]


def _range(rule: Setting) -> str:
    low = None if rule.low is None else f"{'above' if rule.low_open else 'at least'} {rule.low:,g}"
    high = None if rule.high is None else f"at most {rule.high:,g}"
    what = "a whole number" if rule.kind is int else "a number"
    return f"{what} " + " and ".join(x for x in (low, high) if x)


def problem(rule: Setting, value) -> str | None:
    """What is wrong with ``value`` for ``rule`` (None when nothing)."""
    ok = isinstance(value, rule.kind) and (rule.kind is bool or not isinstance(value, bool))  # true is not 1
    if not ok:
        return f"expected {_type_name(rule.kind)}"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if value != value:
            return "expected a number, not NaN (nan means nothing here)"
        if ((rule.low is not None and (value < rule.low or (rule.low_open and value == rule.low)))
                or (rule.high is not None and value > rule.high)):
            return f"expected {_range(rule)}"
    if rule.choices and value not in rule.choices:
        words = [c if c.isidentifier() else repr(c) for c in rule.choices]
        return f"expected one of {', '.join(words)}"
    return rule.check(value) if rule.check else None
