import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'

/** What Debian's python3-feedparser makes of a feed document. */
export interface ParsedFeed {
  bozo: number
  bozoException: string | null
  version: string
  feed: { title?: string; link?: string; updated?: string; language?: string }
  entries: {
    id?: string
    title?: string
    link?: string
    published?: string
    updated?: string
    summary?: string
    authors: string[]
    tags: string[]
    content: string[]
    enclosures: { href: string; type: string }[]
    source?: string
  }[]
}

/** Debian's interpreter, where python3-feedparser is installed (a pyenv or venv python3 on PATH may lack it). */
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3'

const SCRIPT = `
import json, sys, feedparser
d = feedparser.parse(sys.stdin.buffer.read())
def s(v): return None if v is None else str(v)
out = {
  "bozo": int(d.bozo),
  "bozoException": s(d.get("bozo_exception")),
  "version": d.version,
  "feed": {k: s(d.feed.get(k)) for k in ("title", "link", "updated", "language") if d.feed.get(k) is not None},
  "entries": [{
    "id": e.get("id"), "title": e.get("title"), "link": e.get("link"),
    "published": e.get("published"), "updated": e.get("updated"), "summary": e.get("summary"),
    "authors": [a.get("name", "") for a in e.get("authors", [])],
    "tags": [t.get("label") or t.get("term") for t in e.get("tags", [])],
    "content": [c.get("value", "") for c in e.get("content", [])],
    "enclosures": [{"href": x.get("href"), "type": x.get("type")} for x in e.get("enclosures", [])],
    "source": e.get("dc_source"),
  } for e in d.entries],
}
print(json.dumps(out))
`

/** Parses a feed with the feedparser Python module (Debian python3-feedparser), as many feed readers would. */
export function feedparse(document: string): ParsedFeed {
  const out = execFileSync(PYTHON, ['-c', SCRIPT], { input: document, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
  return JSON.parse(out) as ParsedFeed
}
