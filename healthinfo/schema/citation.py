"""Bibliographic sources: the items of CSL-JSON, every variable of CSL 1.0.2.

References: the CSL-JSON schema of CSL 1.0.2
(https://github.com/citation-style-language/schema, ``schemas/input/csl-data.json``,
tag v1.0.2), the variables of the CSL 1.1 style schema that reference managers
already export (``schemas/styles/csl-variables.rnc``: ``part-number``,
``printing-number``, ``supplement-number``, ``editor-translator``, ``license``), and
citeproc-js's documentation of the input format
(https://citeproc-js.readthedocs.io/en/latest/csl-json/markup.html).

Field names with hyphens (``container-title``) are the JSON names; the Python
attributes use underscores. What the model does to an item as it reads it (each a
restructuring, never a change of what the item says):

- numbers given as JSON numbers (``"volume": 29``, ``"id": 37``) are kept as text;
- ``journalAbbreviation`` and ``shortTitle`` (citeproc-js's older names) are read as
  ``container-title-short`` and ``title-short``, the deprecated ``event`` as
  ``event-title``;
- ``PMID: …``, ``PMCID: …`` and ``DOI: …`` lines of ``note`` (how Zotero's Extra field
  carries them) become those identifiers, once: the line leaves the note;
- ``language`` is written as a BCP 47 tag: ``eng`` → ``en``, ``en_US`` → ``en-US``,
  ``English`` → ``en`` (langcodes);
- names with ``parse-names: true`` have their particles parsed out of ``family`` and
  ``given`` as citeproc-js does ("van der Berg" → non-dropping particle "van der");
- dates: date-parts given as text (``["1997", 6, 13]``) become numbers; months 13–16
  and 21–24 (seasons, as citeproc-js and EDTF write them) become ``season``; an EDTF
  string (``"2014-05-02"``, ``"2014/2015"``, ``"2014~"``) or an object's ``raw`` in that
  form becomes date-parts, ``circa`` and ``season``; any other ``raw`` stays as given.

Two healthinfo extensions, ignored by CSL processors: ``author-et-al`` /
``editor-et-al`` say that the source has more authors or editors than are listed
(the reference said "et al.").
"""

from __future__ import annotations

import json
import re
from typing import Annotated, Any, Literal, get_args

from pydantic import BeforeValidator, Field, PlainSerializer, WithJsonSchema, field_validator, model_validator

from ._base import ContentStr, Key, LanguageTag, Node, StrictBool

__all__ = ["CSL_TYPES", "CSL_VARIABLES", "Citation", "CslDate", "Name"]

# The item types of CSL 1.0.2.
CslType = Literal[
    "article",
    "article-journal",
    "article-magazine",
    "article-newspaper",
    "bill",
    "book",
    "broadcast",
    "chapter",
    "classic",
    "collection",
    "dataset",
    "document",
    "entry",
    "entry-dictionary",
    "entry-encyclopedia",
    "event",
    "figure",
    "graphic",
    "hearing",
    "interview",
    "legal_case",
    "legislation",
    "manuscript",
    "map",
    "motion_picture",
    "musical_score",
    "pamphlet",
    "paper-conference",
    "patent",
    "performance",
    "periodical",
    "personal_communication",
    "post",
    "post-weblog",
    "regulation",
    "report",
    "review",
    "review-book",
    "software",
    "song",
    "speech",
    "standard",
    "thesis",
    "treaty",
    "webpage",
]

#: The item types of CSL 1.0.2, as a tuple.
CSL_TYPES: tuple[str, ...] = get_args(CslType)


def _as_text(value: object) -> object:
    # CSL-JSON allows numbers for "number" variables ("volume": 29) and for ids; kept as
    # text so that "29" and "12A" are one type.
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
    return value


def _as_flag(value: object) -> object:
    # CSL-JSON's name flags are "string, number or boolean": "true", 1, true.
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in ("true", "1", "yes"):
            return True
        if lowered in ("false", "0", "no", ""):
            return False
    if isinstance(value, int) and not isinstance(value, bool) and value in (0, 1):
        return bool(value)
    return value


#: A CSL "number" variable (text or a JSON number, kept as text).
NumberText = Annotated[ContentStr, BeforeValidator(_as_text)]
#: A CSL flag: a boolean, or a string or number meaning one.
Flag = Annotated[StrictBool, BeforeValidator(_as_flag)]


class Name(Node):
    """A person (``family`` and ``given``, or one of them) or an organisation
    (``literal``), with CSL's particles, suffix and flags."""

    family: ContentStr | None = None
    given: ContentStr | None = None
    dropping_particle: ContentStr | None = Field(default=None, alias="dropping-particle")
    non_dropping_particle: ContentStr | None = Field(default=None, alias="non-dropping-particle")
    suffix: ContentStr | None = None
    comma_suffix: Flag = Field(default=False, alias="comma-suffix")
    static_ordering: Flag = Field(default=False, alias="static-ordering")
    literal: ContentStr | None = None

    @model_validator(mode="before")
    @classmethod
    def _parse_names(cls, data: object) -> object:
        # parse-names: true asks for the particles to be parsed out of the name parts;
        # the parsed parts are what the model keeps (the flag has then done its work).
        if not isinstance(data, dict) or ("parse-names" not in data and "parse_names" not in data):
            return data
        data = dict(data)
        flag = _as_flag(data.pop("parse-names", data.pop("parse_names", None)))
        if flag is not True and flag is not False:
            raise ValueError("parse-names is true or false")
        if flag:
            data.update(parse_particles(data))
        return data

    @model_validator(mode="after")
    def _person_or_organisation(self) -> Name:
        if self.literal is not None:
            if self.family or self.given:
                raise ValueError("a name is either a person (family, given) or a literal, not both")
        elif not self.family and not self.given:  # a person known by one name ("Banksy") has a given name
            raise ValueError("a name needs a family or a given name, or a literal for an organisation")
        return self


def _is_particle(word: str) -> bool:
    # A particle is a word that starts in lower case: "van", "de", "von", "d'".
    return word[:1].islower()


def parse_particles(name: dict[str, Any]) -> dict[str, Any]:
    """The parts of a name with its particles parsed out, as citeproc-js parses them
    for ``parse-names``: leading lower-case words of ``family`` are the non-dropping
    particle ("van der Berg"), trailing lower-case words of ``given`` the dropping one
    ("Jean de"); a name that already names its particles is left as it is."""
    parsed: dict[str, Any] = {}
    family, given = name.get("family"), name.get("given")
    if isinstance(family, str) and "non-dropping-particle" not in name:
        words = family.split(" ")
        count = 0
        while count < len(words) - 1 and _is_particle(words[count]):
            count += 1
        if count:
            parsed["non-dropping-particle"] = " ".join(words[:count])
            parsed["family"] = " ".join(words[count:])
    if isinstance(given, str) and "dropping-particle" not in name:
        words = given.split(" ")
        count = 0
        while count < len(words) - 1 and _is_particle(words[len(words) - 1 - count]):
            count += 1
        if count:
            parsed["dropping-particle"] = " ".join(words[len(words) - count:])
            parsed["given"] = " ".join(words[: len(words) - count])
    return parsed


# -- dates -------------------------------------------------------------------------

#: Season names as CSL and EDTF number them (1 spring … 4 winter).
_SEASONS = {"spring": 1, "summer": 2, "autumn": 3, "fall": 3, "winter": 4}

# An EDTF (ISO 8601-2) date of the forms CSL 1.1 names as its preferred date input:
# YYYY, YYYY-MM, YYYY-MM-DD, a season YYYY-21..24, with ~ (circa) or ? (uncertain) or
# % (both) after it, and a range of two of these joined by "/".
_EDTF_ONE = r"(-?\d{4})(?:-(\d{2})(?:-(\d{2}))?)?([~?%]?)"
_EDTF = re.compile(rf"^{_EDTF_ONE}(?:/{_EDTF_ONE})?$")


def parse_edtf(text: str) -> dict[str, Any] | None:
    """The CSL date object of an EDTF date string, or None when it is not one (or an
    interval whose ends differ in precision, which CSL's date-parts cannot hold)."""
    match = _EDTF.match(text.strip())
    if match is None:
        return None
    groups = match.groups()
    result: dict[str, Any] = {"date-parts": []}
    for year, month, day, mark in (groups[:4], groups[4:]):
        if year is None:
            continue
        parts = [int(year)]
        if month is not None:
            parts.append(int(month))
            if day is not None:
                parts.append(int(day))
        if mark in ("~", "%"):
            result["circa"] = True
        result["date-parts"].append(parts)
    if len({len(parts) for parts in result["date-parts"]}) > 1:
        return None  # 2014-05-02/2015: date-parts cannot hold ends of two precisions; it stays raw
    return result


#: The months of date-parts that are seasons (EDTF: 21 spring … 24 winter); citeproc-js
#: reads 13-16 as the same seasons, and the model writes those as 21-24.
SEASON_MONTHS = (21, 22, 23, 24)


class CslDate(Node):
    """A CSL date: ``date-parts`` [[year, month, day]] (month and day optional; a
    month 21-24 is a season; a second one ends a range), a ``season`` (1 spring …
    4 winter, or its name), ``circa``, and a ``literal`` or ``raw`` text for what
    date-parts cannot say."""

    date_parts: tuple[tuple[int, ...], ...] = Field(default=(), alias="date-parts", max_length=2)
    season: Annotated[int, Field(ge=1, le=4)] | ContentStr | None = None
    circa: Flag = False
    literal: ContentStr | None = None
    raw: ContentStr | None = None

    @model_validator(mode="before")
    @classmethod
    def _normalise(cls, data: object) -> object:
        if not isinstance(data, dict):
            return data
        data = dict(data)
        raw = data.get("raw")
        if isinstance(raw, str) and not data.get("date-parts") and not data.get("date_parts"):
            parsed = parse_edtf(raw)
            if parsed is not None:  # the raw text says exactly what these fields say
                del data["raw"]
                data.update(parsed)
        key = "date-parts" if "date-parts" in data else "date_parts"
        parts = data.get(key)
        if isinstance(parts, list | tuple):
            data[key] = [_date_numbers(item) for item in parts]
        season = data.get("season")
        if isinstance(season, str):
            name = season.strip().lower()
            data["season"] = _SEASONS.get(name, int(name) if name.isdigit() else season)
        return data

    @field_validator("date_parts")
    @classmethod
    def _parts(cls, value: tuple[tuple[int, ...], ...]) -> tuple[tuple[int, ...], ...]:
        for parts in value:
            if not 1 <= len(parts) <= 3:
                raise ValueError("a date is [year], [year, month] or [year, month, day]")
            if len(parts) > 1 and not (1 <= parts[1] <= 12 or parts[1] in SEASON_MONTHS):
                raise ValueError(f"month {parts[1]} is not between 1 and 12 (or 21-24 for a season)")
            if len(parts) > 2 and parts[1] in SEASON_MONTHS:
                raise ValueError(f"a season ({parts[1]}) has no day")
            if len(parts) > 2 and not 1 <= parts[2] <= 31:
                raise ValueError(f"day {parts[2]} is not between 1 and 31")
        if len(value) == 2 and len(value[0]) != len(value[1]):
            # citeproc-js, the reference CSL processor, refuses such a range ("element
            # mismatch in date range input"): both ends say year, month and day alike.
            first, last = (list(parts) for parts in value)
            raise ValueError(f"both ends of a date range need the same parts ({first} – {last}): give the "
                             "year, the month or the day for both, e.g. [[2014, 1], [2015, 3]]")
        return value

    @model_validator(mode="after")
    def _says_something(self) -> CslDate:
        if not self.date_parts and self.literal is None and self.raw is None:
            raise ValueError("a date needs date-parts, a literal or a raw text")
        return self

    @property
    def year(self) -> int | None:
        """The year of the (first) date, or None for a date given only as text."""
        return self.date_parts[0][0] if self.date_parts else None


def _date_numbers(item: object) -> object:
    # ["1997", 6, 13] as Zotero writes it: the parts as numbers. An empty part ends the
    # date ([2014, ""] is 2014).
    if not isinstance(item, list | tuple):
        return item
    numbers: list[object] = []
    for part in item:
        if isinstance(part, str):
            text = part.strip()
            if not text:
                break
            if re.fullmatch(r"-?\d+", text):
                part = int(text)
        numbers.append(part)
    if len(numbers) == 2 and isinstance(numbers[1], int) and 13 <= numbers[1] <= 16:  # citeproc-js's seasons
        numbers[1] += 8
    return numbers


def _date_shorthand(value: object) -> object:
    # CSL-YAML as pandoc writes it ("issued: 2014", "issued: 2014-05-02", a YAML date),
    # and the EDTF string CSL 1.1 prefers; any other text is the date's literal.
    if isinstance(value, int) and not isinstance(value, bool):
        return {"date-parts": [[value]]}
    if isinstance(value, str):
        parsed = parse_edtf(value)
        if parsed is not None:
            return parsed
        # an EDTF interval of two precisions stays raw (citeproc-js parses it); other text is literal
        return {"raw": value} if _EDTF.match(value.strip()) else {"literal": value}
    if hasattr(value, "year") and hasattr(value, "month") and hasattr(value, "day"):
        return {"date-parts": [[value.year, value.month, value.day]]}
    if isinstance(value, list):
        return _date_mappings(value)
    return value


_MAPPING_KEYS = frozenset({"year", "month", "day", "season", "circa"})


def _date_mappings(value: list[Any]) -> dict[str, Any]:
    # Better BibTeX's CSL YAML (translators/csl/yaml.ts): a date as a list of one
    # mapping ({year: 2014, month: 3}), two for a range, a season or circa beside the
    # year, or [{literal: …}]. A season becomes CSL's month 21-24, so ranges of seasons hold.
    if not 1 <= len(value) <= 2 or not all(isinstance(m, dict) for m in value):
        raise ValueError("a date given as a list holds one mapping ({year: 2014, month: 3}), or two for a range")
    if len(value) == 1 and value[0].keys() == {"literal"}:
        return {"literal": value[0]["literal"]}
    result: dict[str, Any] = {"date-parts": []}
    for mapping in value:
        unknown = sorted(map(str, mapping.keys() - _MAPPING_KEYS))
        if unknown:
            raise ValueError(f"a date's mapping has year, month, day, season and circa, not {', '.join(unknown)}")
        if mapping.get("year") in (None, "", 0, "0"):
            raise ValueError("a date's mapping needs its year (an open range, year 0, cannot be formatted: give the "
                             "last year, or the date as a literal)")
        parts = [mapping["year"]]
        season = mapping.get("season")
        if season is not None:
            name = str(season).strip().lower()
            number = _SEASONS.get(name, int(name) if name.isdigit() else 0)
            if not 1 <= number <= 4:
                raise ValueError(f"season {season!r} is not 1-4 or spring, summer, autumn, winter")
            parts.append(20 + number)
        else:
            for key in ("month", "day"):
                if mapping.get(key) in (None, ""):
                    break
                parts.append(mapping[key])
        result["date-parts"].append(parts)
        if mapping.get("circa") in (True, "true", 1):
            result["circa"] = True
    return result


def _custom_as_text(value: object) -> object:
    # CSL-JSON's "custom" is any JSON object; the model holds it as its JSON text (sorted
    # keys), which cannot change after loading, and writes it back as the object.
    if isinstance(value, dict):
        try:
            return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        except (TypeError, ValueError):
            raise ValueError("custom holds only JSON data (text, numbers, true/false, null, lists, mappings)") from None
    if isinstance(value, str):
        try:
            parsed = json.loads(value)
        except ValueError:
            raise ValueError("custom is a mapping of data") from None
        if isinstance(parsed, dict):
            return _custom_as_text(parsed)
    raise ValueError("custom is a mapping of data (CSL-JSON's custom object)")


#: CSL-JSON's custom object, as JSON text.
CustomData = Annotated[
    ContentStr,
    BeforeValidator(_custom_as_text),
    PlainSerializer(json.loads, return_type=dict),
    WithJsonSchema({"type": "object"}),
]

#: A CSL date variable.
DateVar = Annotated[CslDate, BeforeValidator(_date_shorthand)]
#: A CSL name variable: a list of names.
Names = tuple[Name, ...]

# Zotero's Extra field (exported as the note) names identifiers on lines of their own.
_NOTE_IDENTIFIER = re.compile(r"^[ \t]*(PMID|PMCID|DOI)[ \t]*:[ \t]*(\S+)[ \t]*$", re.IGNORECASE | re.MULTILINE)

# Older names of CSL-JSON that citeproc-js reads as these variables.
_OLDER_NAMES = {"journalAbbreviation": "container-title-short", "shortTitle": "title-short", "event": "event-title"}


class Citation(Node):
    """One source of the bibliography: a CSL item, with every CSL 1.0.2 variable."""

    id: Annotated[Key, BeforeValidator(_as_text)]
    type: CslType
    citation_key: ContentStr | None = Field(default=None, alias="citation-key", description=(
        "A short key by which articles may cite this source instead of its id (Better BibTeX writes it); "
        "one with spaces, commas or semicolons is cited in braces."))
    categories: tuple[ContentStr, ...] = Field(default_factory=tuple)
    language: LanguageTag | None = None
    custom: CustomData | None = Field(default=None, description=(
        "Data without a CSL variable (CSL-JSON's custom): a JSON object, held as its JSON text (immutable)."))

    # Names.
    author: Names = Field(default_factory=tuple)
    author_et_al: StrictBool = Field(default=False, alias="author-et-al")
    chair: Names = Field(default_factory=tuple)
    collection_editor: Names = Field(default_factory=tuple, alias="collection-editor")
    compiler: Names = Field(default_factory=tuple)
    composer: Names = Field(default_factory=tuple)
    container_author: Names = Field(default_factory=tuple, alias="container-author")
    contributor: Names = Field(default_factory=tuple)
    curator: Names = Field(default_factory=tuple)
    director: Names = Field(default_factory=tuple)
    editor: Names = Field(default_factory=tuple)
    editor_et_al: StrictBool = Field(default=False, alias="editor-et-al")
    editorial_director: Names = Field(default_factory=tuple, alias="editorial-director")
    editor_translator: Names = Field(default_factory=tuple, alias="editor-translator")
    executive_producer: Names = Field(default_factory=tuple, alias="executive-producer")
    guest: Names = Field(default_factory=tuple)
    host: Names = Field(default_factory=tuple)
    illustrator: Names = Field(default_factory=tuple)
    interviewer: Names = Field(default_factory=tuple)
    narrator: Names = Field(default_factory=tuple)
    organizer: Names = Field(default_factory=tuple)
    original_author: Names = Field(default_factory=tuple, alias="original-author")
    performer: Names = Field(default_factory=tuple)
    producer: Names = Field(default_factory=tuple)
    recipient: Names = Field(default_factory=tuple)
    reviewed_author: Names = Field(default_factory=tuple, alias="reviewed-author")
    script_writer: Names = Field(default_factory=tuple, alias="script-writer")
    series_creator: Names = Field(default_factory=tuple, alias="series-creator")
    translator: Names = Field(default_factory=tuple)

    # Dates.
    accessed: DateVar | None = None
    available_date: DateVar | None = Field(default=None, alias="available-date")
    event_date: DateVar | None = Field(default=None, alias="event-date")
    issued: DateVar | None = None
    original_date: DateVar | None = Field(default=None, alias="original-date")
    submitted: DateVar | None = None

    # Numbers (text or a JSON number).
    chapter_number: NumberText | None = Field(default=None, alias="chapter-number")
    citation_number: NumberText | None = Field(default=None, alias="citation-number")
    collection_number: NumberText | None = Field(default=None, alias="collection-number")
    edition: NumberText | None = None
    first_reference_note_number: NumberText | None = Field(default=None, alias="first-reference-note-number")
    issue: NumberText | None = None
    locator: NumberText | None = None
    number: NumberText | None = None
    number_of_pages: NumberText | None = Field(default=None, alias="number-of-pages")
    number_of_volumes: NumberText | None = Field(default=None, alias="number-of-volumes")
    page: NumberText | None = None
    page_first: NumberText | None = Field(default=None, alias="page-first")
    part: NumberText | None = None
    part_number: NumberText | None = Field(default=None, alias="part-number")
    printing: NumberText | None = None
    printing_number: NumberText | None = Field(default=None, alias="printing-number")
    supplement: NumberText | None = None
    supplement_number: NumberText | None = Field(default=None, alias="supplement-number")
    volume: NumberText | None = None

    # Text.
    abstract: ContentStr | None = None
    annote: ContentStr | None = None
    archive: ContentStr | None = None
    archive_collection: ContentStr | None = None
    archive_location: ContentStr | None = None
    archive_place: ContentStr | None = Field(default=None, alias="archive-place")
    authority: ContentStr | None = None
    call_number: ContentStr | None = Field(default=None, alias="call-number")
    citation_label: ContentStr | None = Field(default=None, alias="citation-label")
    collection_title: ContentStr | None = Field(default=None, alias="collection-title")
    container_title: ContentStr | None = Field(default=None, alias="container-title")
    container_title_short: ContentStr | None = Field(default=None, alias="container-title-short")
    dimensions: ContentStr | None = None
    division: ContentStr | None = None
    DOI: ContentStr | None = None
    event_title: ContentStr | None = Field(default=None, alias="event-title")
    event_place: ContentStr | None = Field(default=None, alias="event-place")
    genre: ContentStr | None = None
    ISBN: ContentStr | None = None
    ISSN: ContentStr | None = None
    jurisdiction: ContentStr | None = None
    keyword: ContentStr | None = None
    license: ContentStr | None = None
    medium: ContentStr | None = None
    note: ContentStr | None = None
    original_publisher: ContentStr | None = Field(default=None, alias="original-publisher")
    original_publisher_place: ContentStr | None = Field(default=None, alias="original-publisher-place")
    original_title: ContentStr | None = Field(default=None, alias="original-title")
    part_title: ContentStr | None = Field(default=None, alias="part-title")
    PMCID: ContentStr | None = None
    PMID: ContentStr | None = None
    publisher: ContentStr | None = None
    publisher_place: ContentStr | None = Field(default=None, alias="publisher-place")
    references: ContentStr | None = None
    reviewed_genre: ContentStr | None = Field(default=None, alias="reviewed-genre")
    reviewed_title: ContentStr | None = Field(default=None, alias="reviewed-title")
    scale: ContentStr | None = None
    section: ContentStr | None = None
    source: ContentStr | None = None
    status: ContentStr | None = None
    title: ContentStr | None = None
    title_short: ContentStr | None = Field(default=None, alias="title-short")
    URL: ContentStr | None = None
    version: ContentStr | None = None
    volume_title: ContentStr | None = Field(default=None, alias="volume-title")
    volume_title_short: ContentStr | None = Field(default=None, alias="volume-title-short")
    year_suffix: ContentStr | None = Field(default=None, alias="year-suffix")

    @model_validator(mode="before")
    @classmethod
    def _csl_conventions(cls, data: object) -> object:
        if not isinstance(data, dict):
            return data
        data = dict(data)
        for older, name in _OLDER_NAMES.items():
            if older not in data:
                continue
            value = data.pop(older)
            present = data.get(name, data.get(name.replace("-", "_")))
            if present is None:
                data[name] = value
            elif present != value:
                raise ValueError(f"{older} ({value!r}) and {name} ({present!r}) differ; keep one of them, as {name}")
        for name in _DATE_VARIABLES:  # {"date-parts": []} or [[""]]: a date that says nothing
            value = data.get(name)
            if isinstance(value, dict) and value.keys() == {"date-parts"} and _empty_parts(value["date-parts"]):
                del data[name]
        note = data.get("note")
        if isinstance(note, str) and _NOTE_IDENTIFIER.search(note):
            data.update(_identifiers_from_note(note, data))
        language = data.get("language")
        if isinstance(language, str):
            data["language"] = standard_language(language)
        return data

    @field_validator("URL")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("https://", "http://")):
            raise ValueError("URL must start with https:// or http://")
        return value

    @model_validator(mode="after")
    def _has_title(self) -> Citation:
        if not self.title and not self.container_title:
            raise ValueError("a source needs a title or a container-title")
        return self


_DATE_VARIABLES = ("accessed", "available-date", "event-date", "issued", "original-date", "submitted")


def _empty_parts(parts: object) -> bool:
    return isinstance(parts, list) and all(
        isinstance(item, list) and all(part in ("", None) for part in item) for item in parts)


def _identifiers_from_note(note: str, data: dict[str, Any]) -> dict[str, Any]:
    """The identifiers that lines of ``note`` name, and the note without those lines.
    An identifier the item also gives in its own field must say the same."""
    found: dict[str, Any] = {}
    for match in _NOTE_IDENTIFIER.finditer(note):
        name, value = match.group(1).upper(), match.group(2)
        present = data.get(name)
        if present is not None and _as_text(present) != value:
            raise ValueError(f"the note says {name}: {value}, but {name} is {present!r}; keep the right one")
        if name in found and found[name] != value:
            raise ValueError(f"the note names two {name}s ({found[name]} and {value}); keep the right one")
        found[name] = value
    rest = "\n".join(line for line in _NOTE_IDENTIFIER.sub("\0", note).split("\n") if line != "\0").strip()
    found["note"] = rest or None
    return found


def standard_language(value: str) -> str:
    """``value`` as a BCP 47 tag in its standard form: ISO 639-2 codes as their
    two-letter code where there is one ("eng" → "en", "ger" → "de"), "_" as "-"
    ("en_US" → "en-US"), the case of each subtag ("EN-us" → "en-US"), an English
    language name as its code ("English" → "en"). Unchanged when ISO 639 (pycountry)
    does not know it: the model's check then says what is wrong."""
    text = value.strip().replace("_", "-")
    primary, _, rest = text.partition("-")
    if len(primary) > 3 or " " in text:  # a language's name ("English", "Swiss German")
        found = _language(name=text)
        return value if found is None else found
    if not primary.isalpha():
        return value
    code = primary.lower()
    if len(code) == 3:
        found = _language(alpha_3=code) or _language(bibliographic=code)
        code = found or code
    subtags = [code]
    for part in rest.split("-") if rest else []:
        subtags.append(part.upper() if len(part) == 2 else part.title() if len(part) == 4 and part.isalpha() else part.lower())
    return "-".join(subtags)


def _language(**query: str) -> str | None:
    """The shortest ISO 639 code of the language ``query`` finds, or None."""
    import pycountry  # only for sources that give a language

    try:
        found = pycountry.languages.get(**query) if "name" not in query else pycountry.languages.lookup(query["name"])
    except LookupError:
        return None
    if found is None:
        return None
    return str(getattr(found, "alpha_2", None) or found.alpha_3)


#: Every variable of CSL-JSON that the model reads, by its JSON name.
CSL_VARIABLES: tuple[str, ...] = tuple(
    field.alias or name for name, field in Citation.model_fields.items() if name not in ("author_et_al", "editor_et_al")
)


class CitationStyle(Node):
    """The CSL style that formats an article's references: ``citation_style`` of
    ``healthinfo.yaml``, resolved by the loader (a style file of the corpus or a style
    by name, healthinfo.csl.styles) and carried by each article so that it can be
    exported without the corpus."""

    name: Annotated[str, Field(min_length=1)] = Field(
        description="What healthinfo.yaml named: a style's name (nlm-citation-sequence) or a file of the corpus."
    )
    csl: Annotated[str, Field(min_length=1)] = Field(description="The style: a CSL 1.0 XML document.")
