"""State media: the RT English sample, and Chinese state-media and BBC headlines."""

from __future__ import annotations

import csv

from rhetoric.data.base import Article, Corpus, PathLike, _require_dir, _require_file, get_data_home
from rhetoric.data.readers import _dict_rows

__all__ = ["HEADLINE_OUTLETS", "STATE_MEDIA_OUTLETS", "load_rt_sample", "load_state_media_headlines"]


def load_rt_sample(data_home: PathLike | None = None) -> Corpus:
    """Load the RT English sample (unlabelled; the source itself is the label).

    ``text`` is the article body; ``metadata`` has ``title``, ``date``, ``url`` and ``file``.  The id
    is the URL, and the article that appears in both CSVs is kept once.  Three rows (``/shows/``
    URLs) are programme pages whose ``content`` is the same site-navigation boilerplate
    (``"Archive:#ICYMI with Polly Boiko..."``), not article text; they are kept as scraped.
    """
    root = _require_dir(get_data_home(data_home) / "rt-english-sample", "RT English sample")
    seen: set[str] = set()
    articles = []
    for name in ("RT_eng.csv", "einstein.csv"):
        path = _require_file(root / name, "RT CSV")
        for line, row in _dict_rows(path, ("date", "title", "content", "URL"), ","):
            url = row["URL"].strip()
            if url in seen:
                continue
            seen.add(url)
            metadata = {"title": row["title"], "date": row["date"], "url": url, "file": f"{name}:{line}"}
            articles.append(Article(url, row["content"], outlet="RT", metadata=metadata))
    return Corpus(articles, "rt-english-sample", None, labelled=False)


HEADLINE_OUTLETS = {
    "bbc": "BBC",
    "cgtn": "CGTN",
    "chinadaily": "China Daily",
    "globaltimes": "Global Times",
    "xinhuanet": "Xinhua",
}

STATE_MEDIA_OUTLETS = frozenset({"CGTN", "China Daily", "Global Times", "Xinhua"})


def load_state_media_headlines(data_home: PathLike | None = None) -> Corpus:
    """Load the 2022 headlines of CGTN, China Daily, Global Times, Xinhua and BBC, deduplicated.

    Each file is one scrape, so a headline recurs across files; it is kept once per outlet (first
    file in name order), after collapsing whitespace.  Files are UTF-8 with a byte-order mark.  Rows
    broken by the original scraper are skipped: empty headlines, and rows whose quoting failed so that
    several records or timestamp pieces ran into one row (a field count other than 2, or a ``\\r``
    inside the headline).  Line breaks inside a headline (Global Times) become spaces.
    ``metadata`` has ``timestamp`` (as scraped, format differs per outlet), ``section`` and ``file``.
    """
    root = _require_dir(get_data_home(data_home) / "state-media-headlines-cn-vs-bbc", "headline corpus")
    articles = []
    for folder, outlet in HEADLINE_OUTLETS.items():
        directory = _require_dir(root / folder, f"{outlet} headlines")
        seen: set[str] = set()
        for path in sorted(directory.glob("*.csv")):
            section = path.stem.rsplit("-", 1)[-1]
            with open(path, encoding="utf-8-sig", newline="") as handle:
                reader = csv.reader(handle)
                for row in reader:
                    if len(row) != 2 or "\r" in row[1]:
                        continue
                    headline = " ".join(row[1].split())
                    if not headline or headline in seen:
                        continue
                    seen.add(headline)
                    metadata = {"timestamp": row[0].strip(), "section": section, "file": path.name}
                    articles.append(
                        Article(f"{folder}-{len(seen)}", headline, outlet=outlet, metadata=metadata)
                    )
    return Corpus(articles, "state-media-headlines-cn-vs-bbc", None, labelled=False)
