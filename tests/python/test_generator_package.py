"""Checks of the generator package scripts/sample/ that the file-level tests of
test_generator.py do not make: its data files are complete and consistent with the code that
indexes into them, and the stamp's code hash covers every module and data file (so editing a
word list regenerates a sample instead of keeping a stale one)."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

from sample import clock, params, reference, stamp  # noqa: E402


def test_every_country_has_its_reference_data():
    for country in params.COUNTRIES:
        female, male = reference.FIRST_NAMES[country]
        assert female and male, country
        assert reference.LAST_NAMES[country] and reference.STREETS[country], country
        assert reference.LOCATIONS[country] and reference.STORES[country], country
        domains, weights = reference.EMAIL_DOMAINS[country]
        assert len(domains) == len(weights) and all(w > 0 for w in weights), country
        assert country in params.TAX_RATE and country in params.CURRENCY
    assert set(reference.FIRST_NAMES) == set(params.COUNTRIES) == set(reference.LOCATIONS)


def test_locations_fit_the_code_that_uses_them():
    for country, locations in reference.LOCATIONS.items():
        cities = [loc[0] for loc in locations]
        assert len(set(cities)) == len(cities), country  # stores refer to cities by name
        for city, _code, state_name, stem, areas, tz in locations:
            assert city and state_name and stem and areas, (country, city)
            assert tz in clock.TZ_RULES, (country, city, tz)  # no tz database behind it


def test_word_lists_are_non_empty_and_products_have_colours_to_draw():
    assert reference.CATEGORIES == list(reference.PRODUCT_WORDS)
    assert all(len(words) >= 1 for words in reference.PRODUCT_WORDS.values())
    assert len(reference.COLORS) >= 4  # four colours drawn per product
    assert "" in reference.PRODUCT_SUFFIXES and " II" in reference.PRODUCT_SUFFIXES
    for name in ("SEARCH_TERMS", "CAMPAIGN_THEMES", "CAMPAIGN_TYPES", "OWNERS", "AUDIENCES",
                 "SEGMENTS", "LOYALTY_TIERS"):
        values = getattr(reference, name)
        assert values and all(v.strip() == v and v for v in values), name


def test_code_hash_covers_every_module_and_data_file(tmp_path, monkeypatch):
    copy = tmp_path / "sample"
    shutil.copytree(stamp.PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(stamp, "PACKAGE", copy)
    original = stamp.code_sha256()
    assert original == stamp.code_sha256()
    seen = {original}
    for rel in ("data/colors.csv", "world.py", "cli.py"):
        path = copy / rel
        before = path.read_bytes()
        path.write_bytes(before + b"\n")
        seen.add(stamp.code_sha256())
        path.write_bytes(before)
        assert stamp.code_sha256() == original
    assert len(seen) == 4
    (copy / "__pycache__").mkdir()
    (copy / "__pycache__" / "world.cpython-312.pyc").write_bytes(b"compiled")
    assert stamp.code_sha256() == original  # byte-code caches do not count
