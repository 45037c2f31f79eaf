"""Organizations (stores, and a web shop per country) and products, planned once from the
reference data; the organization file; which store or shop a customer buys from."""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from .params import COUNTRIES
from .reference import CATEGORIES, COLORS, LOCATIONS, PRODUCT_SUFFIXES, PRODUCT_WORDS, STORES
from .rng import mix64
from .text import esc, join_row

if TYPE_CHECKING:
    from .world import World


class Organization:
    __slots__ = ("id", "name", "type", "country", "state", "city", "tz", "opened")


class Product:
    __slots__ = ("id", "name", "category", "price", "name_comma", "name_pipe", "slug")


def plan_organizations(rng) -> tuple[list[Organization], dict[str, list[Organization]],
                                      dict[str, Organization]]:
    """Stores of every country (STORES), then one web organization per country; also by
    country."""
    organizations: list[Organization] = []
    stores_by_country: dict[str, list[Organization]] = {}
    web_by_country: dict[str, Organization] = {}
    n = 0
    for country in COUNTRIES:
        locs = LOCATIONS[country]
        for city_idx, label in STORES[country]:
            city, code, state_name, _, _, tz = locs[city_idx]
            n += 1
            o = Organization()
            o.id = f"ST{n:03d}"
            o.name = f"Brand {label}"
            o.type = "store"
            o.country, o.city, o.tz = country, city, tz
            o.state = code if country in ("US", "CA", "DE") else ""
            o.opened = dt.date(rng.randint(2008, 2024), rng.randint(1, 12), 1).isoformat()
            organizations.append(o)
            stores_by_country.setdefault(country, []).append(o)
    for country in COUNTRIES:
        city, code, _, _, _, tz = LOCATIONS[country][0]
        o = Organization()
        o.id = f"WEB-{country}"
        o.name = f"brand.example ({country})"
        o.type = "web"
        o.country, o.city, o.tz, o.state = country, "", tz, ""
        o.opened = "2015-03-01"
        organizations.append(o)
        web_by_country[country] = o
    return organizations, stores_by_country, web_by_country


def plan_products(rng) -> tuple[list[Product], list[Product]]:
    """Products of every category and colour, and a popularity pick list (a product appears in
    it as often as it should be picked)."""
    products = []
    n = 0
    for cat in CATEGORIES:
        for word in PRODUCT_WORDS[cat]:
            for color in rng.sample(COLORS, 4):
                n += 1
                p = Product()
                p.id = f"P{n:05d}"
                suffix = rng.choice(PRODUCT_SUFFIXES) if rng.random() < 0.3 else ""
                p.name = f"{word}{suffix} - {color}"
                p.category = cat
                p.price = rng.choice([1500, 2500, 3900, 4900, 6900, 8900, 12900, 19900,
                                      24900]) - rng.choice([0, 0, 1, 5])
                p.name_comma = esc(p.name, ",")
                p.name_pipe = esc(p.name, "|")
                p.slug = p.name.lower().replace(" ", "-").replace('"', "in").replace(
                    ",", "").replace("|", "").replace("'", "").replace("(", "").replace(
                    ")", "").replace("--", "-")
                products.append(p)
    # Popularity: a Zipf-like pick list.
    product_picks: list[Product] = []
    for rank, p in enumerate(rng.sample(products, len(products))):
        product_picks.extend([p] * max(1, 40 // (rank // 8 + 1)))
    return products, product_picks


def organization_lines(w: World) -> list[str]:
    return [join_row([o.id, o.name, o.type, o.country, o.state, o.city, o.tz, o.opened], ",")
            for o in w.organizations]


def pick_org(w: World, rng, cust: int, channel: str) -> Organization:
    country = COUNTRIES[w.ccountry[cust]]
    if channel == "ecom":
        return w.web_by_country[country]
    stores = w.stores_by_country[country]
    if rng.random() < 0.8:
        return stores[mix64(w.cookie_salt + cust) % len(stores)]
    return rng.choice(stores)
