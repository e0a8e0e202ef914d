"""The ssm-incidents ``filters`` list (``[{key, condition: {before|after|equals}}]``) turned
into SQL, for every list that takes one (incidents, timeline events)."""

from __future__ import annotations

from typing import Any, Literal

from core.errors import ValidationException
from core.timeutil import to_us

FilterKind = Literal["time", "integers", "strings"]
_EQUALS = {"integers": "integerValues", "strings": "stringValues"}


def _refuse(path: str, message: str, short: str) -> ValidationException:
    return ValidationException(f"{path}: {message}", fields=[{"name": path, "message": short}])


def filters_to_sql(
    filters: list[dict[str, Any]] | None, columns: dict[str, tuple[str, FilterKind]], what: str
) -> tuple[list[str], list[Any]]:
    """``columns`` maps each filter key to (SQL column, kind). Returns WHERE parts and args;
    a key or condition that does not fit is a ValidationException naming ``filters[i]...``."""
    where: list[str] = []
    args: list[Any] = []
    keys = ", ".join(columns)
    for i, flt in enumerate(filters or []):
        key, cond = flt["key"], flt["condition"]
        path = f"filters[{i}]"
        if key not in columns:
            raise _refuse(f"{path}.key", f"unknown filter key {key!r}; {what} filter on {keys}", f"must be one of {keys}")
        column, kind = columns[key]
        if kind == "time":
            if "equals" in cond:
                raise _refuse(f"{path}.condition", f"{key} filters take 'before' or 'after'", "use before or after")
            if "before" in cond:
                where.append(f"{column} < ?")
                args.append(to_us(cond["before"]))
            else:
                where.append(f"{column} > ?")
                args.append(to_us(cond["after"]))
            continue
        member = _EQUALS[kind]
        values = (cond.get("equals") or {}).get(member)
        if not values:
            raise _refuse(f"{path}.condition", f"{key} filters take equals.{member}", f"use equals.{member}")
        where.append(f"{column} IN ({','.join('?' * len(values))})")
        args.extend(values)
    return where, args
