"""HTML bodies into plain text: helpdesks (Freshdesk, Zendesk's HTML export, Zoho Desk) export
ticket descriptions as the HTML their editor stored, and HubSpot's description shows it raw.

Only text that carries real markup is converted (a tag from the list below), so a body quoting
``<jane@x.example>`` or ``a < b`` stays as written. Block elements become line breaks, list
items ``- `` lines, a link keeps its address when its text is not the address, and script or
style content is dropped.
"""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

_TAG = re.compile(
    r"</?(?:p|div|br|span|b|i|u|strong|em|ul|ol|li|a|table|tbody|thead|tr|td|th|h[1-6]"
    r"|font|blockquote|pre|code|hr|img|html|body|head|style|script)\b[^<>]*>",
    re.IGNORECASE,
)
_BLOCK = frozenset(
    {"p", "div", "ul", "ol", "li", "table", "tr", "h1", "h2", "h3", "h4", "h5", "h6",
     "blockquote", "pre", "hr", "html", "body"}
)  # fmt: skip
_SKIP = frozenset({"script", "style", "head"})


def looks_like_html(text: str) -> bool:
    """True when ``text`` holds at least one known HTML tag."""
    return "<" in text and _TAG.search(text) is not None


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0
        self.href: list[str | None] = []

    def _newline(self) -> None:
        if self.parts and not self.parts[-1].endswith("\n"):
            self.parts.append("\n")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skipping += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag in _BLOCK:
            self._newline()
            if tag == "li":
                self.parts.append("- ")
        elif tag == "a":
            self.href.append(dict(attrs).get("href"))
            self.parts.append("\x00")  # marks where the link text starts

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCK:
            self._newline()
        elif tag == "a" and self.href:
            self._close_link(self.href.pop())

    def _close_link(self, href: str | None) -> None:
        start = max(i for i, p in enumerate(self.parts) if p == "\x00") if self.parts else -1
        shown = "".join(self.parts[start + 1 :]).strip() if start >= 0 else ""
        if start >= 0:
            self.parts[start] = ""
        if href and href.startswith(("http://", "https://")) and href not in shown:
            self.parts.append(f" ({href})")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(re.sub(r"\s+", " ", data))

    def text(self) -> str:
        return "".join(p for p in self.parts if p != "\x00")


def html_to_text(text: str) -> str:
    """Plain text of an HTML fragment (line breaks kept, spaces not yet tidied)."""
    parser = _Text()
    try:
        parser.feed(text)
        parser.close()
    except (AssertionError, ValueError):  # broken markup: drop the tags, keep the words
        return unescape(_TAG.sub("\n", text))
    return parser.text()
