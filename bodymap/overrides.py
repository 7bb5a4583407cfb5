"""A user's own condition file with a shipped id overrides it: it may tighten, never loosen.

:func:`loosenings` compares an override with the shipped condition, field by field, and names
every way it would loosen it (each a :class:`~bodymap.errors.DataFileError` naming the file and
the field, so ``bodymap validate`` reports it and the library skips the file and keeps the
shipped condition):

* its gates: a shipped ``needs`` (a hernia's level, a scoliosis' shape) and a doctor's
  ``clearance`` are kept;
* every cap the shipped ``[[limit]]``s set, per half-zone and technique (the intensity
  ceiling, no deep variants, an exclusion, a family's share of the session) is kept or made
  stricter;
* its course, session by session: no session longer and no intensity higher than the
  shipped course's (a longer course takes the shipped last session's figures).

:func:`with_shipped_cautions` keeps every shipped caution in the override (an override may
add cautions and reword its own; the shipped ones are never dropped).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bodymap.errors import DataFileError
from bodymap.restrictions import PERCUSSION
from bodymap.schema import Condition

__all__ = ["loosenings", "with_shipped_cautions"]

_HOW = "an override may tighten a shipped condition, never loosen it"


def _problem(path: Path, field: str, message: str, expected: str) -> DataFileError:
    return DataFileError(message, path=path, field=field, expected=f"{expected}; {_HOW}")


def loosenings(shipped: Condition, user: Condition, path: Path,
               library: Any) -> list[DataFileError]:
    """Every way ``user`` (read from ``path``) loosens ``shipped``; empty when it does not."""
    out: list[DataFileError] = []
    name = f"the shipped {shipped.id}"
    if shipped.needs is not None and user.needs != shipped.needs:
        out.append(_problem(path, "needs", f"drops {name}'s need for a {shipped.needs} finding",
                            f"needs = \"{shipped.needs}\""))
    if shipped.clearance and not user.clearance:
        out.append(_problem(path, "clearance", f"drops {name}'s doctor's clearance",
                            "clearance = true"))
    out += _limit_loosenings(shipped, user, path, library)
    out += _course_loosenings(shipped, user, path)
    return out


def _limit_loosenings(shipped: Condition, user: Condition, path: Path,
                      library: Any) -> list[DataFileError]:
    from bodymap.restrict import condition_limits

    ours = condition_limits(user, library)
    out: list[DataFileError] = []
    for i, lim in enumerate(shipped.limit):
        own = condition_limits(shipped.model_copy(update={"limit": [lim]}), library)
        field = f"limit[{i + 1}]"
        for half, tech, cell in own.cells:
            mine = ours.cell(half, tech)
            where = f"{'percussion' if tech == PERCUSSION else tech} on {half}"
            if cell.excluded and not mine.excluded:
                out.append(_problem(path, f"{field}.exclude", f"allows {where}, which "
                                    f"the shipped {shipped.id} excludes", "exclude = true"))
                break
            if not mine.excluded and mine.max_intensity > cell.max_intensity:
                out.append(_problem(path, f"{field}.max_intensity",
                                    f"allows {where} up to {mine.max_intensity}, above "
                                    f"the shipped {shipped.id}'s {cell.max_intensity}",
                                    f"max_intensity = {cell.max_intensity} or lower"))
                break
            if not mine.excluded and mine.deep and not cell.deep:
                out.append(_problem(path, f"{field}.deep", f"allows deep variants of {where}, "
                                    f"which the shipped {shipped.id} forbids", "deep = false"))
                break
        for techs, share in own.shares:
            if ours.share_of(techs) > share:
                out.append(_problem(path, f"{field}.max_share",
                                    f"gives {', '.join(techs)} more of the session than the "
                                    f"shipped {shipped.id}'s {share:g}",
                                    f"max_share = {share:g} or less"))
    return out


def _course_loosenings(shipped: Condition, user: Condition, path: Path) -> list[DataFileError]:
    from bodymap.restrict import course_point

    out: list[DataFileError] = []
    for n in range(1, max(user.course.sessions, shipped.course.sessions) + 1):
        _, m_user, i_user = course_point(user, n)
        _, m_ship, i_ship = course_point(shipped, n)
        phase = user.course.phases.index(user.course.phase_of(min(n, user.course.sessions)))
        field = f"course.phases[{phase + 1}]"
        if m_user > m_ship:
            out.append(_problem(path, f"{field}.minutes",
                                f"session {n} lasts {m_user:g} minutes, longer than the shipped "
                                f"{shipped.id}'s {m_ship:g}", f"at most {m_ship:g} minutes"))
            break
        if i_user > i_ship:
            out.append(_problem(path, f"{field}.intensity",
                                f"session {n} rises to intensity {i_user:g}, above the shipped "
                                f"{shipped.id}'s {i_ship:g}", f"at most {i_ship:g}"))
            break
    return out


def with_shipped_cautions(shipped: Condition, user: Condition) -> Condition:
    """``user`` with every shipped caution it does not repeat word for word."""
    have = {c.text.en for c in user.caution}
    missing = [c for c in shipped.caution if c.text.en not in have]
    if not missing:
        return user
    return user.model_copy(update={"caution": [*user.caution, *missing]})
