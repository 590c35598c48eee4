#!/usr/bin/env python3
"""Derive common_words.txt: one-word gazetteer names that are common English words.

A word is listed when the UD English treebanks (EWT and GUM, ../shared/treebanks) write it in
lowercase at least 3 times and at least twice as often as capitalized, and some city, subdivision
or feature in gazetteer.tsv.gz has it as its name or an alternate name.

  python3 build_common_words.py ../../../../shared/treebanks gazetteer.tsv.gz > common_words.txt
"""
import collections
import glob
import gzip
import os
import sys

treebanks, gazetteer = sys.argv[1], sys.argv[2]
low, cap = collections.Counter(), collections.Counter()
for f in sorted(glob.glob(os.path.join(treebanks, "*", "*.conllu"))):
    for line in open(f, encoding="utf-8"):
        if not line or line[0] == "#" or "\t" not in line:
            continue
        p = line.split("\t")
        if "-" in p[0] or "." in p[0]:
            continue
        w = p[1]
        if w.islower():
            low[w] += 1
        elif w[:1].isupper():
            cap[w.lower()] += 1
keys = set()
for line in gzip.open(gazetteer, "rt", encoding="utf-8"):
    if line[0] == "#":
        continue
    f = line.rstrip("\n").split("\t")
    if f[0] in ("C", "D"):
        continue
    for n in [f[2]] + [x for x in f[8].split("|") if x]:
        if " " not in n and "-" not in n:
            keys.add(n.lower())
words = sorted(w for w in keys if w.isalpha() and low[w] >= 3 and low[w] >= 2 * cap[w])
print("# Common English words that are also the names of places somewhere; see")
print("# build_common_words.py. At the start of a sentence they are never places.")
print("\n".join(words))
