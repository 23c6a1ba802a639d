"""Typography of the text of articles and reusable blocks: the quotes of the text's
language for straight quotes and apostrophes, and dashes (docs/authoring.md,
Typography; the ``typography:`` key of ``healthinfo.yaml``).

The quotes are markdown-it-py's own ``smartquotes`` rule (the typographer of
markdown-it, https://markdown-it.github.io/markdown-it/#MarkdownIt.new, option
``quotes``), fed the quotation marks of the language from the one table of fixed
words (``exporters._i18n``). markdown-it's ``replacements`` rule is not used whole: it
also turns "(c)" into ©, "(r)" into ®, "+-" into ± and ",," into ",", and "(a), (b),
(c)" lists or "+-" in health information must stay as typed. The dashes reuse its
regular expressions for " -- " (en dash) and "---" (em dash) only. Its ".." / "..."
to "…" is left out too: the ellipsis is neither a quote nor a dash (the text's
characters other than those stay as typed), and its pattern also joins two dots
("1..3").

The language is known only once the front matter is read, so the parser stops
before markdown-it's last core rule, ``text_join``, and :func:`finish` runs the
typographer, then ``text_join``: backslash escapes (``\\"``) are still tokens of their
own then, which the typographer leaves alone, as markdown-it's own order does.

What is never changed: code spans, link targets, autolinks (their text is the
address), the keys of ``{term}`` and ``{cite}`` roles (``{term}`fatigue``` shows its key: as typed), the attributes of a heading
(``{#id aspect=…}``) and directive options other than shown text. Shown role text
(``{lang:de}`…```, the text of ``{term}`text <key>```) takes part with the text
around it, in the quotes of the block's language.

Quotes typed curly (“ ” ‘ ’ „ ‚) count as straight ones while pairing, so that a
text that mixes both ("“palliative care."") comes out in one style, that of its
language; one the typographer cannot pair keeps the character as typed.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

from markdown_it import MarkdownIt
from markdown_it.rules_core.replacements import EM_DASH_RE, EN_DASH_RE
from markdown_it.rules_core.smartquotes import process_inlines
from markdown_it.rules_core.state_core import StateCore
from markdown_it.rules_core.text_join import text_join
from markdown_it.token import Token

from ..exporters._i18n import quotes as language_quotes
from ..schema.corpus import TypographySettings

__all__ = ["AS_TYPED", "Typography", "finish", "typeset_text"]

#: Typed curly quotes and the straight quote each counts as while pairing.
TYPED_QUOTES = {"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2018": "'", "\u2019": "'", "\u201a": "'"}

#: The token type markdown-it gives text the typographer must leave alone (a
#: backslash escape); ``text_join`` makes it text again.
_LEFT_ALONE = "text_special"


@dataclass(frozen=True)
class Typography:
    """What the typographer does to the text of one file."""

    #: Outer opening and closing, inner opening and closing quotation marks; None:
    #: quotes as typed.
    quotes: tuple[str, str, str, str] | None = None
    dashes: bool = False

    @classmethod
    def of(cls, settings: TypographySettings, lang: str) -> Typography:
        """The typography of a text in ``lang`` under the corpus's settings."""
        return cls(quotes=language_quotes(lang) if settings.quotes else None, dashes=settings.dashes)

    @property
    def on(self) -> bool:
        return self.quotes is not None or self.dashes


#: The text exactly as typed.
AS_TYPED = Typography()


@functools.lru_cache(maxsize=16)
def _state_parser(quotes: tuple[str, str, str, str] | None) -> MarkdownIt:
    """A parser whose options hold ``quotes``: markdown-it's smartquotes reads them
    there. markdown-it takes a list of four strings as well as a string of four
    characters (its documentation's French example), hence the cast."""
    return MarkdownIt("zero", {"typographer": True, "quotes": cast(str, list(quotes or "\"\"''"))})


def finish(tokens: list[Token], typography: Typography) -> list[Token]:
    """``tokens`` with their inline text typeset (when ``typography`` is on), then each
    inline's text tokens joined (markdown-it's ``text_join``, which the parser leaves
    for this)."""
    state = StateCore("", _state_parser(typography.quotes), {}, tokens)
    if typography.on:
        in_heading = False
        for token in tokens:
            if token.type == "inline" and token.children:
                token.children = _typeset(token.children, typography, state, in_heading)
            in_heading = token.type == "heading_open"
    text_join(state)
    return tokens


def typeset_text(text: str, typography: Typography) -> str:
    """One piece of shown text outside the Markdown inline text (a callout's title, a
    figure's alt text, credit or caption), typeset alone."""
    if not typography.on or not text:
        return text
    state = StateCore("", _state_parser(typography.quotes), {}, [])
    return "".join(token.content for token in _typeset([Token("text", "", 0, content=text)], typography, state, False))


def _typeset(children: list[Token], typography: Typography, state: StateCore, in_heading: bool) -> list[Token]:
    """The inline tokens ``children`` typeset: what must stay as typed is set aside as
    an escape-like token, roles show their text, typed curly quotes stand as
    straight ones; then smartquotes and the dashes, then everything put back."""
    prepared: list[Token] = []
    restore: list[Callable[[], None]] = []
    in_autolink = False
    last_text = max((i for i, t in enumerate(children) if t.type == "text"), default=-1)
    for index, token in enumerate(children):
        if token.type in ("link_open", "link_close") and token.info == "auto":
            in_autolink = token.type == "link_open"
        if token.type == "text" and in_autolink:
            token.type = _LEFT_ALONE  # the text of an autolink is its address
        elif token.type == "text" and in_heading and index == last_text == len(children) - 1:
            prepared.extend(_split_heading_attributes(token, typography))
            continue
        elif token.type == "text" and typography.quotes is not None:
            prepared.extend(_split_typed_quotes(token))
            continue
        elif token.type == "myst_role":
            _show_role_text(token, restore)
        prepared.append(token)
    if typography.quotes is not None:
        process_inlines(prepared, state)
    if typography.dashes:
        for token in prepared:
            if token.type == "text" and "--" in token.content:  # the patterns' cost only where they can match
                token.content = EN_DASH_RE.sub("\\1\u2013", EM_DASH_RE.sub("\\1\u2014", token.content))
    for put_back in restore:
        put_back()
    for token in prepared:
        typed = token.meta.get("typed_quote") if token.meta else None
        if typed is not None and token.content in ('"', "'"):
            token.content = typed  # not paired: as typed
    return prepared


def _split_heading_attributes(token: Token, typography: Typography) -> list[Token]:
    """A heading's last text with its trailing ``{#id …}`` set aside (the walker reads
    the attributes from the joined text, as typed)."""
    text = token.content
    start = text.rfind("{")
    if start == -1 or not text.rstrip().endswith("}"):
        return _split_typed_quotes(token) if typography.quotes is not None else [token]
    before = Token("text", "", 0, content=text[:start])
    before.level = token.level
    attributes = Token(_LEFT_ALONE, "", 0, content=text[start:])
    attributes.level = token.level
    return [*(_split_typed_quotes(before) if typography.quotes is not None else [before]), attributes]


def _split_typed_quotes(token: Token) -> list[Token]:
    """``token`` with each typed curly quote as a token of its own holding the straight
    quote, the typed one kept in its meta."""
    text = token.content
    if not any(quote in text for quote in TYPED_QUOTES):
        return [token]
    pieces: list[Token] = []
    start = 0
    for index, char in enumerate(text):
        if char in TYPED_QUOTES:
            if index > start:
                pieces.append(_text(text[start:index], token.level))
            quote = _text(TYPED_QUOTES[char], token.level)
            quote.meta = {"typed_quote": char}
            pieces.append(quote)
            start = index + 1
    if start < len(text):
        pieces.append(_text(text[start:], token.level))
    return pieces


def _text(content: str, level: int) -> Token:
    token = Token("text", "", 0, content=content)
    token.level = level
    return token


def _show_role_text(token: Token, restore: list[Callable[[], None]]) -> None:
    """A role as the typographer sees it: the shown text of ``{lang:xx}`` and of
    ``{term}`` as text (the term's key set aside); a citation as nothing (its marker
    is not text); ``restore`` gets what puts the role back."""
    name = str(token.meta.get("name", ""))
    content = token.content
    if name == "cite":
        token.content = ""
        restore.append(lambda: setattr(token, "content", content))
        return
    if name == "term":
        if not (content.endswith(">") and " <" in content):
            return  # {term}`fatigue`: the shown text is the key
        shown, _, key = content[:-1].rpartition(" <")
        key = f" <{key}>"
    elif name.startswith("lang:"):
        shown, key = content, ""
    else:
        return
    token.type, token.content = "text", shown

    def put_back() -> None:
        token.type, token.content = "myst_role", token.content + key

    restore.append(put_back)
