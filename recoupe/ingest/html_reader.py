"""Read an .html/.htm article: main text by trafilatura, else the page's <p> elements."""
from __future__ import annotations

import logging
import re
from typing import Any, Optional

import lxml.html
import trafilatura

from recoupe.ingest.common import Rejected, one_line
from recoupe.ingest.dates import parse_date
from recoupe.ingest.decoding import decode, normalise_newlines, read_file_bytes
from recoupe.ingest.language import detect_language, normalise_lang
from recoupe.ingest.records import check_text, file_id
from recoupe.model import Article

LOGGER = logging.getLogger(__name__)
# trafilatura warns ("discarding data: None") for each page it finds no text in; the reader
# reports its own one-line reason instead. Only when nobody chose a level for it.
if logging.getLogger("trafilatura").level == logging.NOTSET:
    logging.getLogger("trafilatura").setLevel(logging.ERROR)

_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_:.-]+)", re.IGNORECASE)
_HTML_LANG = re.compile(r"<html[^>]*?\blang\s*=\s*[\"']?([A-Za-z_-]+)", re.IGNORECASE)
_CLUTTER = {"nav", "header", "footer", "aside", "form", "script", "style", "noscript", "button"}
_HEAD_BYTES = 4096
_CLUTTER_MARKS = ("cookie", "consent")  # in a class or id: a cookie notice
# Removed before extraction: trafilatura's fallback for short pages would keep them.
_PRUNE = ["//nav", "//footer", "//aside"] + [
    f"//*[contains(@class, '{mark}') or contains(@id, '{mark}')]" for mark in _CLUTTER_MARKS
]


def declared_charset(data: bytes) -> Optional[str]:
    """The encoding named by a <meta charset> near the start of the page, if any."""
    match = _CHARSET.search(data[:_HEAD_BYTES])
    return match.group(1).decode("ascii") if match else None


def _trafilatura(html: str) -> Any:
    """Run trafilatura's extraction with metadata; None when it finds nothing or fails."""
    try:
        return trafilatura.bare_extraction(
            html,
            favor_precision=True,
            include_comments=False,
            include_tables=False,
            with_metadata=True,
            prune_xpath=_PRUNE,
        )
    except Exception as exc:  # noqa: BLE001 - a parser failure only means "no main text"
        LOGGER.debug("trafilatura failed: %s", exc)
        return None


def _metadata(html: str) -> Any:
    """Trafilatura's title/date metadata alone, for pages whose text it rejected."""
    try:
        return trafilatura.extract_metadata(html)
    except Exception as exc:  # noqa: BLE001
        LOGGER.debug("metadata extraction failed: %s", exc)
        return None


def _is_clutter(element: Any) -> bool:
    """Whether an element is a menu, header, footer, form or cookie notice."""
    if element.tag in _CLUTTER:
        return True
    marks = f"{element.get('class', '')} {element.get('id', '')}".lower()
    return any(mark in marks for mark in _CLUTTER_MARKS)


def paragraphs(html: str) -> tuple[str, bool]:
    """The text of the page's <p> elements outside menus, headers and footers, one per line,
    and whether the parser stopped at its nesting limit (libxml2: 256 levels), losing the rest."""
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    try:
        root = lxml.html.document_fromstring(html.encode("utf-8"), parser=parser)
    except Exception as exc:  # noqa: BLE001 - lxml raises several types on broken pages
        LOGGER.debug("lxml failed: %s", exc)
        return "", False
    too_deep = any("Excessive depth" in entry.message for entry in parser.error_log)
    texts = []
    for para in root.iter("p"):
        if any(_is_clutter(parent) for parent in para.iterancestors()):
            continue
        text = " ".join(para.text_content().split())
        if text:
            texts.append(text)
    return "\n".join(texts), too_deep


def _lang(html: str, text: str) -> Optional[str]:
    """The detected language of the text, else the page's <html lang>."""
    lang = detect_language(text)
    if lang is None:
        match = _HTML_LANG.search(html[:_HEAD_BYTES])
        lang = normalise_lang(match.group(1)) if match else None
    return lang


def read_html_file(path: str, origin: str, max_chars: int) -> Article:
    """Read one HTML page as an article whose id is the file name without extension."""
    data = read_file_bytes(path, max_chars)
    html = decode(data, fallback=declared_charset(data))
    if not html.strip():
        raise Rejected("empty file")
    doc = _trafilatura(html)
    text = normalise_newlines(doc.text or "").strip() if doc is not None else ""
    too_deep = False
    if not text:
        text, too_deep = paragraphs(html)
        doc = _metadata(html)
    if not text:
        raise Rejected("no main text found" + (" (tags nested too deeply for the HTML parser)" if too_deep else ""))
    text = check_text(text, max_chars)
    title = getattr(doc, "title", None)
    raw_date = getattr(doc, "date", None)
    date = parse_date(raw_date) if isinstance(raw_date, str) else None
    if raw_date and date is None:
        LOGGER.debug("%s: ignoring the page's date %r", origin, raw_date)
    return Article(
        id=file_id(path),
        text=text,
        date=date,
        lang=_lang(html, text),
        title=one_line(title, 1000) if isinstance(title, str) and title.strip() else None,
        origin=origin,
    )
