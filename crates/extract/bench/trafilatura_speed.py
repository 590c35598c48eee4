#!/usr/bin/env python3
"""Python trafilatura on the same benchmark pages as `dyad extract --bench`, timed the same way.

Reads DIR/ground-truth.json and DIR/html/ID.html.gz, gunzips every page before the clock starts,
then times `trafilatura.extract` on the raw bytes (it decodes them itself, as dyad does), one page
after another on one thread. Prints one JSON line: pages, seconds, pages_per_sec, and the
trafilatura version. With --predictions FILE it also writes the bodies in the benchmark's output
format ({"ID": {"articleBody": ...}}) for the benchmark's own evaluate.py.

Set-up and run (trafilatura comes from PyPI):
    python3 -m venv /tmp/trafenv && /tmp/trafenv/bin/pip install trafilatura lxml_html_clean
    /tmp/trafenv/bin/python crates/extract/bench/trafilatura_speed.py ../shared/extraction/scrapinghub
"""
import argparse
import gzip
import json
import os
import time

import trafilatura


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir")
    ap.add_argument("--predictions")
    ap.add_argument("--repeat", type=int, default=1, help="passes over the pages")
    args = ap.parse_args()
    with open(os.path.join(args.dir, "ground-truth.json"), encoding="utf-8") as f:
        ids = sorted(json.load(f))
    pages = []
    for i in ids:
        with gzip.open(os.path.join(args.dir, "html", f"{i}.html.gz")) as f:
            pages.append((i, f.read()))
    out = {}
    spent = 0.0
    for _ in range(args.repeat):
        for i, html in pages:
            t = time.perf_counter()
            body = trafilatura.extract(html)
            spent += time.perf_counter() - t
            out[i] = {"articleBody": body or ""}
    if args.predictions:
        with open(args.predictions, "w", encoding="utf-8") as f:
            json.dump(out, f, ensure_ascii=False)
    n = len(pages) * args.repeat
    print(json.dumps({
        "extractor": "trafilatura (Python) " + trafilatura.__version__,
        "pages": n,
        "seconds": round(spent, 3),
        "pages_per_sec": round(n / spent, 1) if spent else None,
        "threads": 1,
    }))


if __name__ == "__main__":
    main()
