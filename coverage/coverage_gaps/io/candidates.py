"""The candidates file of ``plan``: which organisations may be chosen for training."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .._validate import require_columns
from ..errors import EmptyInputError, InputFileNotFoundError, describe
from ..schema import PROVIDER_ID

__all__ = ["read_candidates"]


def read_candidates(path: str | Path) -> list[str]:
    """provider_id values from a CSV with a ``provider_id`` column (blank cells skipped).

    Raises
    ------
    InputFileNotFoundError, MissingColumnError, EmptyInputError
    """
    path = Path(path)
    if not path.is_file():
        raise InputFileNotFoundError(describe("candidates file not found", file=path,
                                              fix="give a CSV with a provider_id column to --candidates"))
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except pd.errors.EmptyDataError:
        raise EmptyInputError(describe("the candidates file is empty", file=path,
                                       fix="add a header row provider_id and one id per row")) from None
    require_columns(table, [PROVIDER_ID], file=path, fix="name the column of organisation ids provider_id")
    ids = [v.strip() for v in table[PROVIDER_ID] if v.strip()]
    if not ids:
        raise EmptyInputError(describe("the candidates file lists no provider_id", file=path, column=PROVIDER_ID,
                                       fix="add one provider_id per row"))
    return ids
