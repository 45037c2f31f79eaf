"""Word lists and reference data (names, places, stores, products, campaign vocabulary), read
once from the CSV files in data/ (UTF-8, one header line; fields with surrounding spaces are
quoted). Row order matters: random picks index into these lists, so reordering, adding or
removing a row changes the generated sample."""
from __future__ import annotations

import csv
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


def _rows(name: str) -> list[dict[str, str]]:
    with open(DATA / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _column(name: str) -> list[str]:
    """The values of a one-column file."""
    return [value for row in _rows(name) for value in row.values()]


def _by_column(name: str, key: str, column: str) -> dict[str, list[str]]:
    """key -> values of column, both in file order."""
    out: dict[str, list[str]] = {}
    for row in _rows(name):
        out.setdefault(row[key], []).append(row[column])
    return out


def _locations() -> dict[str, list[tuple]]:
    """country -> [(city, state code, state name, zip/postcode stem, area codes, time zone)]"""
    out: dict[str, list[tuple]] = {}
    for r in _rows("locations.csv"):
        out.setdefault(r["country"], []).append((r["city"], r["state_code"], r["state_name"],
                                                 r["zip_stem"], r["area_codes"].split(),
                                                 r["time_zone"]))
    return out


def _stores() -> dict[str, list[tuple[int, str]]]:
    """country -> [(index of the store's city in LOCATIONS[country], store name)]"""
    out: dict[str, list[tuple[int, str]]] = {}
    for r in _rows("stores.csv"):
        cities = [loc[0] for loc in LOCATIONS[r["country"]]]
        out.setdefault(r["country"], []).append((cities.index(r["city"]), r["name"]))
    return out


def _first_names() -> dict[str, tuple[list[str], list[str]]]:
    """country -> (female names, male names)"""
    out: dict[str, tuple[list[str], list[str]]] = {}
    for r in _rows("first_names.csv"):
        out.setdefault(r["country"], ([], []))[("F", "M").index(r["sex"])].append(r["name"])
    return out


def _email_domains() -> dict[str, tuple[list[str], list[int]]]:
    """country -> (domains, relative weights)"""
    out: dict[str, tuple[list[str], list[int]]] = {}
    for r in _rows("email_domains.csv"):
        domains, weights = out.setdefault(r["country"], ([], []))
        domains.append(r["domain"])
        weights.append(int(r["weight"]))
    return out


LOCATIONS = _locations()
STORES = _stores()
FIRST_NAMES = _first_names()
LAST_NAMES = _by_column("last_names.csv", "country", "name")
STREETS = _by_column("streets.csv", "country", "street")
EMAIL_DOMAINS = _email_domains()
PRODUCT_WORDS = _by_column("products.csv", "category", "product")  # category -> products
CATEGORIES = list(PRODUCT_WORDS)
PRODUCT_SUFFIXES = _column("product_suffixes.csv")
COLORS = _column("colors.csv")
SEARCH_TERMS = _column("search_terms.csv")
CAMPAIGN_THEMES = _column("campaign_themes.csv")
CAMPAIGN_TYPES = _column("campaign_types.csv")
OWNERS = _column("owners.csv")
AUDIENCES = _column("audiences.csv")
SEGMENTS = _column("segments.csv")
LOYALTY_TIERS = _column("loyalty_tiers.csv")
