"""What the dashboard shows, as plain data: every figure and every table with what it counts and
the parameters that drill down to its complaints. Views turn the parameters into links."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from complaintdesk.reports import breakdowns as bd
from complaintdesk.reports import indicators as ind
from complaintdesk.sla.calendar import BusinessCalendar

SECTIONS = {
    "volume": _("受理"),
    "timeliness": _("时效"),
    "quality": _("办理质量"),
    "escalation": _("升级"),
    "satisfaction": _("回访与满意度"),
    "compensation": _("补偿"),
    "language": _("服务用语质检"),
}


@dataclass(frozen=True)
class Table:
    code: str
    title: str
    indicator: str  # the indicator code ("ageing" for the ageing snapshot)
    by: str
    unit: str
    rows: list[bd.Row]
    drillable_denominator: bool = True

    def drill(self, row: bd.Row, part: str) -> dict:
        return {"ind": self.indicator, "part": part, "by": self.by, "key": row.key}


@dataclass(frozen=True)
class Tile:
    indicator: ind.Indicator
    figure: ind.Figure

    def drill(self, part: str) -> dict:
        return {"ind": self.indicator.code, "part": part}


@dataclass
class Dashboard:
    window: ind.Window
    tiles: dict[str, list[Tile]] = field(default_factory=dict)
    tables: list[Table] = field(default_factory=list)

    def table(self, code: str) -> Table:
        for table in self.tables:
            if table.code == code:
                return table
        raise KeyError(code)


def table_codes() -> list[str]:
    codes = ["indicators"]
    codes += [f"{code}-{by}" for code, splits in bd.SPLITS.items() for by in splits]
    return codes + ["ageing"] + [phrase_table(c, by) for c in bd.PHRASE_CODES for by in ("agent", "department")]


def phrase_table(code: str, by: str) -> str:
    """``phrase-agent`` / ``phrase-department`` (the overrides, as before), ``phrase_flagged-agent``…"""
    return f"phrase-{by}" if code == "phrase_overrides" else f"{code}-{by}"


def build(w: ind.Window, scope: ind.Scope, calendar: BusinessCalendar, only: str | None = None) -> Dashboard:
    """All figures and tables (or only the table ``only``, for an export). A fixed number of
    queries, whatever the number of complaints."""
    board = Dashboard(w)
    if only in (None, "indicators"):
        figures = ind.compute(w, scope)
        for indicator in ind.INDICATORS:
            board.tiles.setdefault(indicator.section, []).append(Tile(indicator, figures[indicator.code]))
    for code, splits in bd.SPLITS.items():
        indicator = ind.BY_CODE[code]
        for by in splits:
            table_code = f"{code}-{by}"
            if only in (None, table_code):
                title = _("%(indicator)s·按%(by)s") % {"indicator": indicator.label, "by": bd.BY_LABELS[by]}
                board.tables.append(Table(table_code, str(title), code, by, indicator.unit,
                                          bd.breakdown(code, by, w, scope)))
    if only in (None, "ageing"):
        board.tables.append(Table("ageing", str(_("未结案件账龄(工作日)")), "ageing", "", ind.COUNT,
                                  bd.ageing(calendar, w.as_of, scope)))
    for by, by_label in (("agent", _("员工")), ("department", _("部门"))):
        wanted = [c for c in bd.PHRASE_CODES if only in (None, phrase_table(c, by))]
        tables = bd.phrase_tables(by, w, scope) if wanted else {}
        for code in wanted:
            title = _("%(indicator)s·按%(by)s") % {"indicator": ind.BY_CODE[code].label, "by": by_label}
            board.tables.append(Table(phrase_table(code, by), str(title), code,
                                      "agent" if by == "agent" else "agent_department", ind.PER_MILLE,
                                      tables[code]))
    return board


def indicator_rows(board: Dashboard) -> list[list]:
    return [
        [tile.indicator.code, str(tile.indicator.label), tile.figure.numerator, tile.figure.denominator,
         tile.figure.value]
        for tiles in board.tiles.values()
        for tile in tiles
    ]


def export_rows(board: Dashboard, code: str) -> tuple[list[str], list[list]]:
    """Header and rows of one table, for CSV/Excel."""
    if code == "indicators":
        return [str(_("编码")), str(_("指标")), str(_("分子")), str(_("分母")), str(_("值"))], indicator_rows(board)
    table = board.table(code)
    header = [str(_("项目")), str(_("分子")), str(_("分母")), str(_("值"))]
    return header, [[r.label, r.numerator, r.denominator, r.value] for r in table.rows]
