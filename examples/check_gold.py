#!/usr/bin/env python3
"""Check the sample corpus in examples/ against the recoupe ontology (v1).

Usage: python3 examples/check_gold.py [examples_dir]

Checks:
  * every article (sNN.json, sNN.txt, sNN.html, lines of *.jsonl) is well formed
    and every gold file has exactly one matching article (and vice versa);
  * every fact's evidence occurs verbatim in its article's text
    (.txt: the file text after the " date YYYY-MM[-DD]" header;
     .html: the visible text, entities decoded, whitespace collapsed);
  * fact types, modalities, quantity units and `when` values are valid,
    `reported` facts carry a speaker, source/target ids are listed actors;
  * actors have valid types, no duplicate ids, persons have role/affiliated_with;
  * copies.json only names existing ids.
Then prints the coverage table. Exit status 1 if any check fails or a
coverage target is missed.  Standard library only.
"""
import html
import json
import os
import re
import sys
from collections import Counter
from html.parser import HTMLParser

TYPES = ["deploy", "withdraw", "arms_transfer", "train", "support", "request",
         "reject", "threaten", "criticize", "capture", "fight", "agreement",
         "cooperate", "meet", "tension"]
MODALITIES = ["asserted", "reported", "hedged", "hypothetical", "negated"]
ACTOR_TYPES = {"state", "igo", "force", "group", "company", "person"}
UNITS = {"troops", "drones", "aircraft", "helicopters", "usd", "eur", "killed", "people"}
DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
TXT_DATE_RE = re.compile(r"^ ?date (\d{4}-\d{2}(?:-\d{2})?)\b ?")
ID_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

# coverage targets of the brief
MIN_PER_TYPE = 3
MIN_PER_MODALITY = 5
MIN_QUANTITY = 8
MIN_WHEN = 15

errors = []


def err(msg):
    errors.append(msg)


def ws(s):
    return re.sub(r"\s+", " ", s).strip()


class Visible(HTMLParser):
    """Collects the visible text of a page; <p> contents are kept apart."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.skip = 0
        self.parts = []
        self.paras = []
        self.in_p = False
        self.cur = []
        self.title = None
        self.in_title = False
        self.meta_date = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "style"):
            self.skip += 1
        elif tag == "p":
            self.in_p, self.cur = True, []
        elif tag == "title":
            self.in_title = True
        elif tag == "meta" and a.get("name") == "date":
            self.meta_date = a.get("content")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip -= 1
        elif tag == "p" and self.in_p:
            self.paras.append("".join(self.cur))
            self.in_p = False
        elif tag == "title":
            self.in_title = False

    def handle_data(self, data):
        if self.in_title:
            self.title = (self.title or "") + data
        if self.skip:
            return
        self.parts.append(data)
        if self.in_p:
            self.cur.append(data)


def load_articles(adir):
    """Return {id: {"fmt", "date", "text", "path"}}."""
    arts = {}

    def add(aid, rec):
        if aid in arts:
            err("duplicate article id %s (%s and %s)" % (aid, arts[aid]["path"], rec["path"]))
        arts[aid] = rec

    for fn in sorted(os.listdir(adir)):
        path = os.path.join(adir, fn)
        stem, ext = os.path.splitext(fn)
        if ext == ".json":
            with open(path, encoding="utf-8") as f:
                o = json.load(f)
            check_doc(o, path)
            if o.get("id") != stem:
                err("%s: id %r differs from file name" % (path, o.get("id")))
            add(o["id"], {"fmt": "json", "date": o.get("date"), "text": o.get("text", ""), "path": path})
        elif ext == ".jsonl":
            with open(path, encoding="utf-8") as f:
                for n, line in enumerate(f, 1):
                    if not line.strip():
                        continue
                    o = json.loads(line)
                    check_doc(o, "%s:%d" % (path, n))
                    add(o["id"], {"fmt": "jsonl", "date": o.get("date"), "text": o.get("text", ""),
                                  "path": "%s:%d" % (path, n)})
        elif ext == ".txt":
            with open(path, encoding="utf-8") as f:
                raw = f.read()
            lines = raw.split("\n")
            k = 0
            while k < len(lines) and not lines[k].strip():
                k += 1
            m = TXT_DATE_RE.match(lines[k]) if k < len(lines) else None
            if not m or not raw.startswith(" date "):
                err("%s: first line must start with ' date YYYY-MM[-DD]'" % path)
                text, date = raw, None
            else:
                date = m.group(1)
                text = "\n".join([lines[k][m.end():]] + lines[k + 1:])
            add(stem, {"fmt": "txt", "date": date, "text": text, "path": path})
        elif ext in (".html", ".htm"):
            with open(path, encoding="utf-8") as f:
                raw = f.read()
            p = Visible()
            p.feed(raw)
            for tag in ("<html", "<head>", "<title>", "<nav", "<article>", "<h1>", "<footer"):
                if tag not in raw:
                    err("%s: missing %s" % (path, tag))
            if not p.meta_date or not DATE_RE.match(p.meta_date):
                err("%s: missing or bad <meta name=\"date\">" % path)
            add(stem, {"fmt": "html", "date": p.meta_date, "text": "\n\n".join(p.paras),
                       "visible": ws("".join(p.parts)), "raw": html.unescape(raw), "path": path})
    return arts


def check_doc(o, where):
    for k in ("id", "url", "lang", "date", "title", "text"):
        if k not in o:
            err("%s: missing key %s" % (where, k))
    if o.get("lang") not in ("fr", "en", None):
        err("%s: bad lang %r" % (where, o.get("lang")))
    if o.get("date") is not None and not DATE_RE.match(o["date"]):
        err("%s: bad date %r" % (where, o["date"]))
    if not isinstance(o.get("text"), str) or not o.get("text"):
        err("%s: empty text" % where)


def as_list(v):
    return v if isinstance(v, list) else [v]


def valid_when(w):
    if isinstance(w, str):
        return bool(DATE_RE.match(w))
    if isinstance(w, dict) and w and set(w) <= {"start", "end"}:
        return all(isinstance(x, str) and DATE_RE.match(x) for x in w.values())
    return False


def evidence_found(ev, art):
    if ev in art["text"]:
        return True
    if art["fmt"] == "html":
        return ws(ev) in art["visible"] or ev in art["raw"]
    return False


def main():
    base = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    arts = load_articles(os.path.join(base, "articles"))
    gdir = os.path.join(base, "gold")
    golds = {}
    for fn in sorted(os.listdir(gdir)):
        if fn.endswith(".json"):
            with open(os.path.join(gdir, fn), encoding="utf-8") as f:
                g = json.load(f)
            if g.get("id") != fn[:-5]:
                err("gold/%s: id %r differs from file name" % (fn, g.get("id")))
            if set(g) != {"id", "actors", "facts"}:
                err("gold/%s: keys must be id, actors, facts" % fn)
            golds[g["id"]] = g

    for aid in sorted(set(golds) - set(arts)):
        err("gold %s has no article" % aid)
    for aid in sorted(set(arts) - set(golds)):
        err("article %s has no gold file" % aid)

    by_type, by_mod = Counter(), Counter()
    n_facts = n_qty = n_when = n_speaker = n_place = 0
    speakers = Counter()
    words = {}
    for aid, g in sorted(golds.items()):
        art = arts.get(aid)
        if art:
            words[aid] = len(re.findall(r"\w+", art["text"]))
        ids = {}
        for a in g["actors"]:
            if a.get("id") in ids:
                err("%s: duplicate actor %s" % (aid, a.get("id")))
            ids[a.get("id")] = a
            if not ID_RE.match(a.get("id", "")):
                err("%s: bad actor id %r" % (aid, a.get("id")))
            if a.get("type") not in ACTOR_TYPES:
                err("%s: actor %s bad type %r" % (aid, a.get("id"), a.get("type")))
            if not a.get("names"):
                err("%s: actor %s has no names" % (aid, a.get("id")))
            elif art:
                low = art["text"].lower()
                for n in a["names"]:
                    if n.lower() not in low:
                        err("%s: actor %s name %r not in text" % (aid, a["id"], n))
            if a.get("type") == "person" and not (a.get("role") and a.get("affiliated_with")):
                err("%s: person %s lacks role/affiliated_with" % (aid, a.get("id")))
        for i, fa in enumerate(g["facts"]):
            where = "%s fact %d" % (aid, i)
            n_facts += 1
            for t in as_list(fa.get("type")):
                if t not in TYPES:
                    err("%s: bad type %r" % (where, t))
            for t in set(as_list(fa.get("type"))):
                by_type[t] += 1
            m = fa.get("modality")
            if m not in MODALITIES:
                err("%s: bad modality %r" % (where, m))
            by_mod[m] += 1
            for role in ("source", "target"):
                if role not in fa:
                    if role == "source":
                        err("%s: no source" % where)
                    continue
                vals = [v for v in as_list(fa[role]) if v is not None]
                if role == "source" and not vals:
                    err("%s: null source" % where)
                if vals and not any(v in ids for v in vals):
                    err("%s: %s %r not among actors" % (where, role, fa[role]))
            if m == "reported" and not fa.get("speaker"):
                err("%s: reported fact without speaker" % where)
            if fa.get("speaker"):
                n_speaker += 1
                for s in as_list(fa["speaker"]):
                    kind = ids[s]["type"] if s in ids else ("unknown" if s == "unknown" else "non-actor")
                    speakers[(s, kind)] += 1
            if "when" in fa:
                n_when += 1
                if not valid_when(fa["when"]):
                    err("%s: bad when %r" % (where, fa["when"]))
            if "quantity" in fa:
                n_qty += 1
                q = fa["quantity"]
                if q.get("unit") not in UNITS or not ({"value"} <= set(q) or {"min", "max"} <= set(q)):
                    err("%s: bad quantity %r" % (where, q))
            if "place" in fa:
                n_place += 1
            ev = fa.get("evidence")
            if not ev:
                err("%s: no evidence" % where)
            elif art and not evidence_found(ev, art):
                err("%s: evidence not found verbatim: %r" % (where, ev[:80]))

    cpath = os.path.join(base, "copies.json")
    if os.path.exists(cpath):
        with open(cpath, encoding="utf-8") as f:
            for grp in json.load(f):
                for aid in grp:
                    if aid not in arts:
                        err("copies.json: unknown id %s" % aid)

    # ---- report
    print("articles: %d   gold files: %d   facts: %d" % (len(arts), len(golds), n_facts))
    fmts = Counter(a["fmt"] for a in arts.values())
    print("formats: " + ", ".join("%s %d" % kv for kv in sorted(fmts.items())))
    if words:
        print("words per article: min %d, max %d" % (min(words.values()), max(words.values())))
    print()
    print("%-14s %5s" % ("type", "facts"))
    for t in TYPES:
        flag = "" if by_type[t] >= MIN_PER_TYPE else "   < %d" % MIN_PER_TYPE
        print("%-14s %5d%s" % (t, by_type[t], flag))
    print()
    print("%-14s %5s" % ("modality", "facts"))
    for m in MODALITIES:
        flag = "" if by_mod[m] >= MIN_PER_MODALITY else "   < %d" % MIN_PER_MODALITY
        print("%-14s %5d%s" % (m, by_mod[m], flag))
    print()
    print("with quantity: %d   with when: %d   with speaker: %d   with place: %d"
          % (n_qty, n_when, n_speaker, n_place))
    kinds = Counter()
    for (s, kind), c in speakers.items():
        kinds[kind] += c
    print("speaker kinds: " + ", ".join("%s %d" % kv for kv in sorted(kinds.items())))
    print("speakers: " + ", ".join("%s %d" % (s, c) for (s, _), c in sorted(speakers.items())))

    short = [t for t in TYPES if by_type[t] < MIN_PER_TYPE] + \
            [m for m in MODALITIES if by_mod[m] < MIN_PER_MODALITY]
    if short or n_qty < MIN_QUANTITY or n_when < MIN_WHEN:
        err("coverage targets missed: %s quantity=%d when=%d" % (short, n_qty, n_when))
    print()
    if errors:
        print("%d problem(s):" % len(errors))
        for e in errors:
            print("  - " + e)
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
