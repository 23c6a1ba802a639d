"""Articles and their sections."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

from pydantic import BeforeValidator, Field, model_validator

from ._base import SCHEMA_VERSION, ContentStr, Date, HttpUrl, Id, LanguageTag, Node, NonEmptyStr, Region, SchemaVersion, StrictInt
from ._tree import walk
from .blocks import Block, Figure, Include, Table
from .citation import Citation, CitationStyle
from .glossary import GlossaryEntry
from .inline import Cite, Inline, Term
from .publisher import Person, Publisher

__all__ = ["Article", "Audience", "HealthAspect", "NextUpdate", "Section", "Translation", "Year"]


class HealthAspect(str, Enum):
    """What a section is about: the members of schema.org's HealthAspectEnumeration
    (https://schema.org/HealthAspectEnumeration), without the ``HealthAspect`` suffix."""

    Allergies = "Allergies"
    Benefits = "Benefits"
    Causes = "Causes"
    Contagiousness = "Contagiousness"
    Effectiveness = "Effectiveness"
    Gender = "Gender"
    GettingAccess = "GettingAccess"
    HowItWorks = "HowItWorks"
    HowOrWhere = "HowOrWhere"
    Ingredients = "Ingredients"
    LivingWith = "LivingWith"
    MayTreat = "MayTreat"
    Misconceptions = "Misconceptions"
    Overview = "Overview"
    PatientExperience = "PatientExperience"
    Pregnancy = "Pregnancy"
    Prevention = "Prevention"
    Prognosis = "Prognosis"
    RelatedTopics = "RelatedTopics"
    RisksOrComplications = "RisksOrComplications"
    Safety = "Safety"
    Screening = "Screening"
    SeeDoctor = "SeeDoctor"
    SelfCare = "SelfCare"
    SideEffects = "SideEffects"
    Stages = "Stages"
    Symptoms = "Symptoms"
    Treatments = "Treatments"
    Types = "Types"
    UsageOrSchedule = "UsageOrSchedule"

    @property
    def schema_org(self) -> str:
        """The schema.org member name, e.g. ``TreatmentsHealthAspect``."""
        return f"{self.value}HealthAspect"


class Audience(str, Enum):
    """Who an article is written for."""

    patients = "patients"
    caregivers = "caregivers"
    public = "public"
    professionals = "professionals"


class Section(Node):
    """A part of an article opened by a heading; sections nest."""

    id: Id = Field(description="Stable id, unique within the article (used for links and anchors).")
    title: tuple[Inline, ...] = Field(min_length=1, description="The heading.")
    aspect: HealthAspect | None = Field(default=None, description="What the section is about (schema.org health aspect).")
    blocks: tuple[Block, ...] = Field(default_factory=tuple, description="The content before any subsection.")
    sections: tuple[Section, ...] = Field(default_factory=tuple, description="Subsections.")


Year = Annotated[StrictInt, Field(ge=1900, le=2999)]


def _year_or_date(value: object) -> object:
    # One plain sentence instead of the union's two ("a valid integer; or ...").
    if isinstance(value, str) and not value[4:5] == "-":
        raise ValueError(f"{value!r} is not a year or a date; write a year without quotes (2027) or a date (2027-03-01)")
    return value


#: A year (``2027``, a number: ``"2027"`` is text) or a full date (``2027-03-01``).
NextUpdate = Annotated[Year | Date, BeforeValidator(_year_or_date)]


class Translation(Node):
    """The same article in another language, as an article names it: the original it
    translates, or another translation of that original (the loader finds them from
    ``translation_of``)."""

    id: Id = Field(description="The article id of the other language version.")
    lang: LanguageTag = Field(description="Its language (BCP 47 tag).")
    title: NonEmptyStr = Field(description="Its title, in its language (a language switcher shows it).")
    updated: Date = Field(description="Its last update: a translation older than its original is outdated.")
    url: HttpUrl | None = Field(default=None, description="Its canonical web address, when the corpus has a base_url or it names a url.")


class Article(Node):
    """One article of patient information, complete in itself: it carries its
    publisher, the glossary entries it uses and the sources it lists or cites, so that
    it can be exported without the corpus."""

    schema_version: SchemaVersion = Field(default=SCHEMA_VERSION, description="Version of the JSON form.")
    id: Id = Field(description="The article id: its file name in articles/ without .md.")
    title: NonEmptyStr = Field(description="The title, shown as the page's only level-1 heading.")
    topic: ContentStr | None = Field(default=None, description="The topic the article is part of.")
    description: ContentStr | None = Field(default=None, description="A one-sentence summary.")
    lang: LanguageTag = Field(description="Language of the article (BCP 47 tag).")
    audience: Audience = Field(default=Audience.patients, description="Who the article is written for.")
    authors: tuple[Person, ...] = Field(default_factory=tuple, description="Named authors, if the publisher names them.")
    reviewers: tuple[Person, ...] = Field(default_factory=tuple, description="Named (external) reviewers.")
    publisher: Publisher = Field(description="The publisher, resolved from its id.")
    published: Date | None = Field(default=None, description="First publication date.")
    updated: Date = Field(description="Date of the last update (\"Updated on …\").")
    next_update: NextUpdate | None = Field(default=None, description="Next planned update: a year or a date.")
    region: Region | None = Field(default=None, description="Country the whole article applies to.")
    edition: Region | None = Field(
        default=None,
        description="The regional edition this is (healthinfo.edition): the passages of other countries left out. "
        "None: the complete text, every regional passage marked.",
    )
    keywords: tuple[NonEmptyStr, ...] = Field(default_factory=tuple, description="Keywords for search and catalogues.")
    url: HttpUrl | None = Field(default=None, description="Canonical web address of the article.")
    rights: ContentStr | None = Field(default=None, description="Copyright statement.")
    license: HttpUrl | None = Field(default=None, description="Licence URI.")
    translation_of: Id | None = Field(
        default=None,
        description="The id of the article this one translates (its original, in another language); "
        "None for an original.",
    )
    translations: tuple[Translation, ...] = Field(
        default_factory=tuple,
        description="The article in other languages, by language: for a translation its original and the "
        "original's other translations; for an original its translations.",
    )
    blocks: tuple[Block, ...] = Field(default_factory=tuple, description="The lead: blocks before the first section.")
    sections: tuple[Section, ...] = Field(default_factory=tuple, description="The sections, in order.")
    back: tuple[Include, ...] = Field(
        default_factory=tuple, description="Reusable blocks shown after the references."
    )
    references: tuple[Citation, ...] = Field(
        default_factory=tuple,
        description="The article's sources, in the order shown (a source's number is its place). The loader puts them in the order of the corpus's style: first cited first, then those only listed in front matter, as listed; a style that sorts its bibliography (APA) by its sort.",
    )
    glossary: dict[Id, GlossaryEntry] = Field(
        default_factory=dict, description="The glossary entries the article's terms point at."
    )
    citation_style: CitationStyle | None = Field(
        default=None,
        description="The CSL style of the references (healthinfo.yaml's citation_style); none: nlm-citation-sequence.",
    )

    @model_validator(mode="after")
    def _translations_agree(self) -> Article:
        problems: list[str] = []
        langs = [t.lang.casefold() for t in self.translations]
        if self.lang.casefold() in langs:
            problems.append(f"a translation is in the article's own language ({self.lang})")
        if len(set(langs)) != len(langs):
            problems.append("two translations are in one language")
        ids = [t.id for t in self.translations]
        if self.id in ids or len(set(ids)) != len(ids):
            problems.append("translations name the article itself, or one article twice")
        if self.translation_of is not None and self.translation_of not in ids:
            problems.append(f"translation_of names {self.translation_of!r}, which is not in translations "
                            "(give its language, title and date there)")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def original(self) -> Translation | None:
        """The original this article translates (None for an original)."""
        return next((t for t in self.translations if t.id == self.translation_of), None)

    @model_validator(mode="after")
    def _references_resolve(self) -> Article:
        problems: list[str] = []
        keys = [c.id for c in self.references]
        if len(set(keys)) != len(keys):
            problems.append("a source is listed twice in references")
        for key, entry in self.glossary.items():
            if entry.id != key:
                problems.append(f"glossary key {key!r} differs from its entry id {entry.id!r}")
        ids: set[str] = set()
        known = set(keys)
        # The innermost included block of each term or citation inside one: terms and
        # sources used in reusable blocks belong to the including article too.
        block_of: dict[int, str] = {}
        for node in walk([self.blocks, self.sections, self.back]):
            if isinstance(node, Include):
                block_of.update((id(inner), node.ref) for inner in walk(node.blocks) if isinstance(inner, (Term, Cite)))
            where = f" (in the included block {block_of[id(node)]!r})" if id(node) in block_of else ""
            if isinstance(node, Term) and node.ref not in self.glossary:
                problems.append(f"term {node.ref!r}{where} has no glossary entry")
            elif isinstance(node, Cite):
                problems.extend(f"citation {k!r}{where} is not in references" for k in node.refs if k not in known)
            node_id = getattr(node, "id", None) if isinstance(node, (Section, Figure, Table)) else None
            if node_id is not None:
                if node_id in ids:
                    problems.append(f"id {node_id!r} is used twice")
                ids.add(node_id)
        if problems:
            raise ValueError("; ".join(dict.fromkeys(problems)))
        return self

    def cites(self) -> list[Cite]:
        """The article's in-text citations, in text order (its lead, its sections, its
        back matter, the reusable blocks they include)."""
        return [node for node in walk([self.blocks, self.sections, self.back]) if isinstance(node, Cite)]

    def iter_sections(self) -> list[Section]:
        """Every section, depth first, in document order."""
        return [node for node in walk(self.sections) if isinstance(node, Section)]


Section.model_rebuild()
Article.model_rebuild()
