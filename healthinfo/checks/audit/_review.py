"""Review governance: is each article's review planned, due or overdue, and are its
update and its sources recent enough (docs/governance.md)."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterator

from ...schema import Article, AuditSettings
from ._report import Finding
from ._source import SourceFile

__all__ = ["due_date", "review_findings"]


def due_date(next_update: int | dt.date) -> dt.date:
    """When a planned update is due: a date is due that day; a year (``2027``) at its
    end, so it is overdue from the 1st of January of the year after."""
    return next_update if isinstance(next_update, dt.date) else dt.date(next_update, 12, 31)


def _months_later(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` months (the 31st becomes the month's last day)."""
    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def review_findings(article: Article, source: SourceFile, as_of: dt.date, settings: AuditSettings) -> Iterator[Finding]:
    """review-overdue, review-due-soon, review-missing, update-too-old, source-too-old."""
    aid, file = article.id, source.name
    if article.next_update is None:
        yield Finding("review-missing", aid, file, source.line_of_key("updated") or 1,
                      "No next update is planned; add next_update (a year or a date) to the front matter.")
    else:
        due = due_date(article.next_update)
        line = source.line_of_key("next_update")
        if as_of > due:
            yield Finding("review-overdue", aid, file, line,
                          f"The planned update ({article.next_update}) is overdue since {due.isoformat()}; "
                          "review the article, then set updated and a new next_update.")
        elif (due - as_of).days <= settings.due_soon_days:
            yield Finding("review-due-soon", aid, file, line,
                          f"The planned update ({article.next_update}) is due in {(due - as_of).days} days "
                          f"(on {due.isoformat()}); plan the review.")
    limit = _months_later(article.updated, settings.max_update_age_months)
    if as_of > limit:
        yield Finding("update-too-old", aid, file, source.line_of_key("updated"),
                      f"The last update ({article.updated.isoformat()}) is more than "
                      f"{settings.max_update_age_months} months old; review the article and set updated.")
    for citation in article.references:
        if citation.issued is None or citation.issued.year is None:  # no date, or one only as text
            continue
        age = as_of.year - citation.issued.year
        if age > settings.max_source_age_years:
            yield Finding("source-too-old", aid, file, source.line_of_item("sources", citation.id),
                          f"The source {citation.id!r} is from {citation.issued.year}, {age} years ago "
                          f"(limit {settings.max_source_age_years}); check whether newer evidence replaces it.")
