"""Suppression of small cells in everything the observatory publishes (issue 9, point 7).

Pure Python over the shape the command line prints::

    {"indicator": ..., "unit": "people", "by": ["sex"], "total": 157, "additive": True,
     "rows": [{"sex": "F", "value": 3}, {"sex": "M", "value": 154}]}

:func:`suppress` returns the same shape with hidden cells as ``"value": None,
"suppressed": True`` (a hidden total as ``"total": None, "total_suppressed": True``) and
a ``suppressed_count``. The rules:

**Primary suppression.** A published cell counting 1 to 4 people (``THRESHOLD``) is
hidden: the cells of the units ``people`` (distinct people) and ``count`` (records, which
are people's participations and attendances). Margins and the total obey the same rule.
A 0 is published, as statistical offices do: it names nobody, and hiding zeros would
hide most of a sparse table without protecting anyone. MAD sums and days are not counts
of people and pass through unchanged. A share is hidden wherever its numerator or its
denominator is (:func:`suppress_share`); :func:`suppress` refuses a share, so that one
cannot be published unprotected by mistake.

**Complementary suppression.** A hidden cell must not be recoverable by subtraction
from what is published. The published relations are the *lines* of the table: in one
breakdown, the cells and the total; in two breakdowns, each row (its cells and its row
total), each column (its cells and its column total), and the margins (the row totals
and the grand total, the column totals and the grand total). The row and column totals
of a two-breakdown table are published as ``"margins"``, because they are what the
one-breakdown tables of the same indicator publish. Tables published side by side (the
open data's values by sex, by region, and by sex and region) must hide the same margins,
or one undoes the other: :func:`suppress_linked` hides them together (or
:func:`margin_table` gives the one-breakdown table from a two-breakdown one).

1. While a line holds exactly one hidden entry, hide a second one in it: the smallest
   published entry of that line, preferring a non-zero inner cell, then a total, and a
   zero only when nothing else is left (a hidden zero beside a hidden cell can be
   pinned by the bound "counts are not negative"); ties are broken by position.
2. In two breakdowns, step 1 is not enough: hidden cells with two or more hidden
   entries on every line can still be recovered by combining lines (a cell joining two
   separate groups of hidden cells is the sum of their row equations minus their column
   equations). See the table as a graph, a node per row and column (margins included)
   and an edge per hidden entry; the equations fix an edge exactly when it is a
   *bridge*, an edge on no cycle. For each bridge, hide the smallest published cell that
   joins its two sides, which puts it on a cycle, and start again from step 1.

When it stops, every line holds zero or at least two hidden entries and no hidden entry
is fixed by the equations. With every hidden entry positive, an attacker cannot pin one
through the bound "not negative" either: moving one person around a cycle of hidden
cells (+1, -1, +1, ...) keeps every equation and every bound. The tests check both on
random tables, with exact rational algebra and by enumeration.

**Non-additive tables** (a breakdown by an attribute of the activity: a person who
attended in two regions counts in each) are treated exactly as additive ones. Their
cells add up to at least the total, so an attacker cannot subtract exactly; but a lone
hidden cell is still bounded below by the total minus the other cells, and when few
people overlap (the usual case) that bound is the value itself. With two hidden cells
per line, each can move by one while staying between 0 and the total and keeping the
sum at least the total. The margins of a non-additive table are unknown to this module
unless given (``"margins"`` in the input); without them they are taken as the sums of
the cells, used to place the complements and never published. The true margin lies
between the largest cell and that sum, so a sum of 1 to 4 means a true margin of 1 to 4,
which its own table hides.

Missing combinations of a two-breakdown table (a grouped query returns no row for an
empty group) are zeros; if one has to be hidden, a row is added for it at the end.
Everything is deterministic: the same input gives the same output.
"""

from __future__ import annotations

import copy
from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import Any

THRESHOLD = (1, 4)
"""Counts from THRESHOLD[0] to THRESHOLD[1] people (both included) are never published."""

PEOPLE_UNITS = frozenset({"people", "count"})
SHARE_UNITS = frozenset({"share"})

Position = Hashable
Node = tuple[str, int]


def is_small(value: int | None) -> bool:
    """A count that would name too few people to be published."""
    low, high = THRESHOLD
    return value is not None and low <= value <= high


# ---------------------------------------------------------------------------------------
# The engine over positions and lines


def _protect(values: Mapping[Any, int | None], *, lines: Sequence[Sequence[Any]],
             totals: Iterable[Any], order: Mapping[Any, int],
             edges: Mapping[Any, tuple[Node, Node]] | None = None,
             hidden: Iterable[Any] = ()) -> set[Any]:
    """The positions to hide: small ones, then complements until nothing is recoverable."""
    totals = set(totals)

    def rank(position: Any) -> tuple[bool, bool, int, int]:  # never called on a None
        value = values[position] or 0
        return (value == 0, position in totals, value, order[position])

    suppressed = {position for position, value in values.items()
                  if value is None or is_small(value)}  # None: not known, not published
    suppressed.update(hidden)
    while True:
        complement = _line_complement(lines, suppressed, rank)
        if complement is None and edges is not None:
            complement = _bridge_complement(edges, suppressed, rank)
        if complement is None:
            return suppressed
        suppressed.add(complement)


def _line_complement(lines: Sequence[Sequence[Any]], suppressed: set[Any],
                     rank: Any) -> Any | None:
    for line in lines:
        hidden = [position for position in line if position in suppressed]
        if len(hidden) == 1:
            candidates = [position for position in line if position not in suppressed]
            if candidates:
                return min(candidates, key=rank)
    return None


def _bridge_complement(edges: Mapping[Any, tuple[Node, Node]], suppressed: set[Any],
                       rank: Any) -> Any | None:
    hidden = sorted((position for position in suppressed if position in edges),
                    key=lambda position: edges[position])
    for bridge in _bridges([edges[position] for position in hidden]):
        removed = edges[hidden[bridge]]
        side = _reachable(removed[0], [edges[position] for i, position in enumerate(hidden)
                                       if i != bridge])
        other = _reachable(removed[1], [edges[position] for i, position in enumerate(hidden)
                                        if i != bridge])
        candidates = [position for position, (a, b) in edges.items()
                      if position not in suppressed
                      and ((a in side and b in other) or (a in other and b in side))]
        if candidates:
            return min(candidates, key=rank)
    return None


def _reachable(start: Node, edges: Sequence[tuple[Node, Node]]) -> set[Node]:
    neighbours: dict[Node, list[Node]] = {}
    for a, b in edges:
        neighbours.setdefault(a, []).append(b)
        neighbours.setdefault(b, []).append(a)
    seen = {start}
    todo = [start]
    while todo:
        for neighbour in neighbours.get(todo.pop(), []):
            if neighbour not in seen:
                seen.add(neighbour)
                todo.append(neighbour)
    return seen


def _bridges(edges: Sequence[tuple[Node, Node]]) -> list[int]:
    """Indexes of the edges on no cycle (Tarjan's low-link, iterative), in index order."""
    incident: dict[Node, list[tuple[Node, int]]] = {}
    for index, (a, b) in enumerate(edges):
        incident.setdefault(a, []).append((b, index))
        incident.setdefault(b, []).append((a, index))
    found: list[int] = []
    entered: dict[Node, int] = {}
    low: dict[Node, int] = {}
    for root in sorted(incident):
        if root in entered:
            continue
        entered[root] = low[root] = len(entered)
        stack: list[tuple[Node, int, int]] = [(root, -1, 0)]
        while stack:
            node, via, next_index = stack[-1]
            if next_index < len(incident[node]):
                stack[-1] = (node, via, next_index + 1)
                neighbour, edge = incident[node][next_index]
                if edge == via:
                    continue
                if neighbour in entered:
                    low[node] = min(low[node], entered[neighbour])
                else:
                    entered[neighbour] = low[neighbour] = len(entered)
                    stack.append((neighbour, edge, 0))
            else:
                stack.pop()
                if stack:
                    parent = stack[-1][0]
                    low[parent] = min(low[parent], low[node])
                    if low[node] > entered[parent]:
                        found.append(via)
    return sorted(found)


# ---------------------------------------------------------------------------------------
# Lower-level functions


def protect_line(values: Sequence[int | None], total: int | None) -> set[int]:
    """Hidden indexes of a one-breakdown table; index ``len(values)`` is the total."""
    entries: dict[int, int | None] = {**dict(enumerate(values)), len(values): total}
    return _protect(entries, lines=[list(entries)], totals=[len(values)],
                    order={position: position for position in entries})


def protect_grid(grid: Sequence[Sequence[int | None]]) -> set[tuple[int, int]]:
    """Hidden positions of a two-breakdown table given with its margins.

    ``grid`` has R + 1 rows of C + 1 values: the last value of each row is its row
    total, the last row holds the column totals, and its last value is the grand total.
    """
    height, width = len(grid), len(grid[0])
    if any(len(row) != width for row in grid) or height < 2 or width < 2:
        raise ValueError("A grid has at least one cell and its margins, rows of one length.")
    return _protect_grid(grid)


def _protect_grid(grid: Sequence[Sequence[int | None]],
                  hidden: Iterable[tuple[int, int]] = ()) -> set[tuple[int, int]]:
    height, width = len(grid), len(grid[0])
    values = {(i, j): grid[i][j] for i in range(height) for j in range(width)}
    lines = [[(i, j) for j in range(width)] for i in range(height)]
    lines += [[(i, j) for i in range(height)] for j in range(width)]
    totals = [(i, width - 1) for i in range(height)] + [(height - 1, j) for j in range(width)]
    order = {position: index for index, position in enumerate(sorted(values))}
    edges = {(i, j): (("row", i), ("column", j)) for (i, j) in values}
    return _protect(values, lines=lines, totals=totals, order=order, edges=edges,
                    hidden=hidden)


# ---------------------------------------------------------------------------------------
# Results


def counts_people(unit: str | None) -> bool:
    """Whether values of this unit count people (a missing unit is taken as people)."""
    return unit is None or unit in PEOPLE_UNITS


def suppress(result: Mapping[str, Any]) -> dict[str, Any]:
    """The publishable copy of an indicator's values (see the module's docstring)."""
    unit = result.get("unit")
    if unit in SHARE_UNITS:
        raise ValueError("A share is suppressed from its numerator and denominator: "
                         "use suppress_share().")
    published = copy.deepcopy(dict(result))
    published["suppressed_count"] = 0
    if not counts_people(unit):
        return published
    by = list(result.get("by") or [])
    if len(by) == 0:
        if is_small(result["total"]):
            _hide_total(published)
        return published
    if len(by) == 1:
        return _suppress_1d(published)
    if len(by) == 2:
        return _suppress_2d(published, by[0], by[1])
    raise ValueError("At most two breakdowns can be published.")


def _hide_total(published: dict[str, Any]) -> None:
    published["total"] = None
    published["total_suppressed"] = True
    published["suppressed_count"] += 1


def _hide_row(published: dict[str, Any], row: dict[str, Any]) -> None:
    row["value"] = None
    row["suppressed"] = True
    published["suppressed_count"] += 1


def _suppress_1d(published: dict[str, Any]) -> dict[str, Any]:
    rows = published["rows"]
    hidden = protect_line([row["value"] for row in rows], published["total"])
    for index, row in enumerate(rows):
        if index in hidden:
            _hide_row(published, row)
    if len(rows) in hidden:
        _hide_total(published)
    return published


def _codes(rows: Sequence[Mapping[str, Any]], dim: str) -> list[Any]:
    return list(dict.fromkeys(row[dim] for row in rows))


def _suppress_2d(published: dict[str, Any], first: str, second: str) -> dict[str, Any]:
    rows: list[dict[str, Any]] = published["rows"]
    given = published.pop("margins", None) or {}
    first_codes, second_codes = _codes(rows, first), _codes(rows, second)
    for code in (row[first] for row in given.get(first, [])):
        if code not in first_codes:
            first_codes.append(code)
    for code in (row[second] for row in given.get(second, [])):
        if code not in second_codes:
            second_codes.append(code)
    height, width = len(first_codes), len(second_codes)
    grid: list[list[int | None]] = [[0] * (width + 1) for _ in range(height + 1)]
    where: dict[tuple[int, int], dict[str, Any]] = {}
    for row in rows:
        i, j = first_codes.index(row[first]), second_codes.index(row[second])
        grid[i][j] = row["value"]
        where[i, j] = row
    for i in range(height):
        grid[i][width] = sum(value or 0 for value in grid[i][:width])
    for j in range(width):
        grid[height][j] = sum(grid[i][j] or 0 for i in range(height))
    for row in given.get(first, []):
        grid[first_codes.index(row[first])][width] = row["value"]
    for row in given.get(second, []):
        grid[height][second_codes.index(row[second])] = row["value"]
    grid[height][width] = published["total"]
    hidden = _protect_grid(grid) if height and width else (
        {(height, width)} if is_small(published["total"]) else set())

    for (i, j) in sorted(hidden):
        if i < height and j < width:
            if (i, j) not in where:  # an empty group, absent from the query's rows
                where[i, j] = {first: first_codes[i], second: second_codes[j], "value": 0}
                rows.append(where[i, j])
            _hide_row(published, where[i, j])
    if (height, width) in hidden:
        _hide_total(published)
    if published.get("additive") or given:
        published["margins"] = {
            first: [_margin(published, first, code, grid[i][width], (i, width) in hidden)
                    for i, code in enumerate(first_codes)],
            second: [_margin(published, second, code, grid[height][j], (height, j) in hidden)
                     for j, code in enumerate(second_codes)],
        }
    return published


def _margin(published: dict[str, Any], dim: str, code: Any, value: int | None,
            hidden: bool) -> dict[str, Any]:
    if not hidden:
        return {dim: code, "value": value}
    published["suppressed_count"] += 1
    return {dim: code, "value": None, "suppressed": True}


def margin_table(published: Mapping[str, Any], dim: str) -> dict[str, Any]:
    """The one-breakdown table by ``dim`` hidden as the margins of a two-breakdown one.

    Publish this rather than suppressing the one-breakdown table on its own, so that the
    two tables hide the same margins (two patterns side by side can undo each other).
    """
    margins = published.get("margins")
    if not margins or dim not in margins:
        raise ValueError(f"This table publishes no margins by {dim}.")
    rows = copy.deepcopy(margins[dim])
    table = {key: value for key, value in published.items()
             if key not in ("rows", "margins", "by", "suppressed_count")}
    table.update(by=[dim], rows=rows,
                 suppressed_count=sum(1 for row in rows if row.get("suppressed"))
                 + (1 if published.get("total_suppressed") else 0))
    return table


def _key(row: Mapping[str, Any], by: Sequence[str]) -> tuple[Any, ...]:
    return tuple(row[dim] for dim in by)


def suppress_share(share: Mapping[str, Any], numerator: Mapping[str, Any],
                   denominator: Mapping[str, Any]) -> dict[str, Any]:
    """A share hidden wherever its published numerator or denominator is hidden.

    ``numerator`` and ``denominator`` are the outputs of :func:`suppress` for the two
    counts, over the same breakdowns; a share shown beside a hidden count would give it
    back (numerator = share x denominator).
    """
    by = list(share.get("by") or [])
    if list(numerator.get("by") or []) != by or list(denominator.get("by") or []) != by:
        raise ValueError("A share and its counts must have the same breakdowns.")
    hidden = {_key(row, by) for source in (numerator, denominator)
              for row in source["rows"] if row.get("suppressed")}
    published = copy.deepcopy(dict(share))
    published["suppressed_count"] = 0
    for row in published["rows"]:
        if _key(row, by) in hidden:
            _hide_row(published, row)
    if numerator.get("total_suppressed") or denominator.get("total_suppressed"):
        _hide_total(published)
    if "margins" in published:
        for dim, rows in published["margins"].items():
            hidden_margins = {row[dim] for source in (numerator, denominator)
                              for row in (source.get("margins") or {}).get(dim, [])
                              if row.get("suppressed")}
            for row in rows:
                if row[dim] in hidden_margins:
                    _hide_row(published, row)
    return published


def suppress_linked(results: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Tables of one indicator, period and scope published side by side, hidden together.

    An open dataset that publishes the values by sex, by region and by sex and region
    gives an attacker the equations of all three; suppressed one by one, a margin hidden
    in the two-breakdown table can be published by the one-breakdown table (a seeded
    trial: 6% of random tables then gave a hidden cell back). Here every one-breakdown
    table hides what the margins of every two-breakdown table over its dimension hide,
    and the reverse, until nothing changes; a two-breakdown table's margins are the
    one-breakdown table's values when it is among ``results``. Returns the published
    tables in the order given.
    """
    for result in results:
        if result.get("unit") in SHARE_UNITS:
            raise ValueError("Shares are published through suppress_share().")
        if len(result.get("by") or []) > 2:
            raise ValueError("At most two breakdowns can be published.")
    singles = {result["by"][0]: result for result in results if len(result["by"]) == 1}
    hidden: dict[str, set[Any]] = {dim: set() for dim in singles}
    total_hidden = False
    while True:
        published: list[dict[str, Any]] = []
        grew = False
        for result in results:
            by = list(result["by"])
            source = copy.deepcopy(dict(result))
            if total_hidden:
                source["total"] = None
            if len(by) == 1:
                for row in source["rows"]:
                    if row[by[0]] in hidden[by[0]]:
                        row["value"] = None
            elif len(by) == 2:
                margins = dict(source.get("margins") or {})
                for dim in by:
                    if dim in singles:
                        margins[dim] = [
                            {dim: row[dim],
                             "value": None if row[dim] in hidden[dim] else row["value"]}
                            for row in singles[dim]["rows"]]
                if margins:
                    source["margins"] = margins
            out = suppress(source) if counts_people(result.get("unit")) else suppress(result)
            if total_hidden or out.get("total_suppressed"):
                out["total"], out["total_suppressed"] = None, True
            grew |= bool(out.get("total_suppressed")) and not total_hidden
            lines = [(by[0], out["rows"])] if len(by) == 1 else list(
                (out.get("margins") or {}).items())
            for dim, rows in lines:
                if dim in hidden:
                    found = {row[dim] for row in rows if row.get("suppressed")}
                    grew |= not found <= hidden[dim]
                    hidden[dim] |= found
            published.append(out)
        total_hidden = any(out.get("total_suppressed") for out in published)
        if not grew:
            break
    for out, result in zip(published, results, strict=True):
        _recount(out, result)
    return published


def _recount(published: dict[str, Any], result: Mapping[str, Any]) -> None:
    """Values hidden beforehand come back from ``suppress`` as None without the flag."""
    for row in published["rows"]:
        if row["value"] is None:
            row["suppressed"] = True
    for rows in (published.get("margins") or {}).values():
        for row in rows:
            if row["value"] is None:
                row["suppressed"] = True
    if published.get("total") is None and result.get("total") is not None:
        published["total_suppressed"] = True
    published["suppressed_count"] = (
        sum(1 for row in published["rows"] if row.get("suppressed"))
        + sum(1 for rows in (published.get("margins") or {}).values()
              for row in rows if row.get("suppressed"))
        + (1 if published.get("total_suppressed") else 0))
