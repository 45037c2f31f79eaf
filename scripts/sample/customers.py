"""Customers ``C0000001`` ...: the record of customer i is a pure function of (seed, i), so any
file can rebuild any customer; the full load, the daily CRM file (new customers, a few
updates) and the weekly change file (updates, deletes, sparse rows whose empty attributes
must not erase, LoyaltyTier from the second weekly file on)."""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from .clock import DAY_MS, HOUR_MS, iso_from_ms
from .contacts import make_email, make_phone, make_zip, preferences_text
from .feeds import CUSTOMER_COLUMNS
from .params import (COUNTRIES, DNE, DNS, HAS_EMAIL, HAS_MOBILE, PREF_EMPTY, PREF_UNKNOWN,
                     WEEKLY_EVERY)
from .reference import FIRST_NAMES, LAST_NAMES, LOCATIONS, LOYALTY_TIERS, STREETS
from .text import join_row

if TYPE_CHECKING:
    from .world import World


def make_customer(w: World, i: int, email_only: bool = False):
    """The customer record of index i as a list in CUSTOMER_COLUMNS order (pure function of
    seed and i). With email_only, just the e-mail as the CRM stores it."""
    rng = w.rng("customer", i)
    flags = w.cflags[i]
    country = COUNTRIES[w.ccountry[i]]
    sex = rng.choices(["F", "M", "U"], [49, 47, 4])[0]
    female, male = FIRST_NAMES[country]
    first = rng.choice(female if sex == "F" else male if sex == "M" else female + male)
    last = rng.choice(LAST_NAMES[country])
    email = make_email(rng, first, last, country) if flags & HAS_EMAIL else ""
    if email_only:
        return email
    city, code, state_name, stem, areas, _ = rng.choice(LOCATIONS[country])
    mobile = make_phone(rng, country, areas, True) if flags & HAS_MOBILE else ""
    primary = make_phone(rng, country, areas, False) if rng.random() < 0.4 else ""
    address = f"{rng.randint(1, 9999)} {rng.choice(STREETS[country])}"
    if country in ("FR", "DE"):
        address = (f"{rng.randint(1, 120)} {rng.choice(STREETS[country])}" if country == "FR"
                   else f"{rng.choice(STREETS[country])} {rng.randint(1, 120)}")
    if rng.random() < 0.15:
        address += f", Apt {rng.randint(1, 30)}{rng.choice('ABCD')}"
    r = rng.random()
    if country in ("US", "CA"):
        state = code if r < 0.7 else (state_name if r < 0.9 else state_name.lower())
    elif country == "DE":
        state = code if r < 0.5 else state_name
    else:
        state = state_name if r < 0.5 else ""
    zip_code = make_zip(rng, country, stem)
    country_text = country if rng.random() > 0.03 else country.lower()
    birth = ""
    if rng.random() < 0.9:
        birth = dt.date(rng.randint(1945, 2006), rng.randint(1, 12), rng.randint(1, 28)).isoformat()
    gender = sex if rng.random() < 0.97 else ""
    prefs = preferences_text(rng, flags)
    day = w.created_day(i)
    if day is None:
        created_ms = w.day_ms(0) - rng.randint(1, 3 * 365) * DAY_MS + rng.randrange(DAY_MS)
        modified_ms = min(w.day_ms(0) - 1000, created_ms + rng.randrange(400) * DAY_MS)
    else:
        created_ms = w.day_ms(day) + rng.randrange(DAY_MS)
        modified_ms = created_ms
    created = iso_from_ms(created_ms, "Z" if rng.random() < 0.5 else "")
    modified = iso_from_ms(modified_ms, "Z")
    delete_flag = rng.choices(["", "N", "false", "0"], [94, 3, 2, 1])[0]
    return [w.cnum(i), first, last, email, mobile, primary, address, city, state, zip_code,
            country_text, birth, gender, prefs, created, modified, delete_flag]


def customer_email(w: World, i: int) -> str:
    return make_customer(w, i, email_only=True)


def customer_full_rows(w: World):
    delim = ","
    for i in range(w.n_initial):
        yield join_row(make_customer(w, i), delim)


def customer_daily_lines(w: World, s: int) -> list[str]:
    """crm_customer file of delivery day s: customers created on day s-1, a few updates."""
    k = s - 1
    rng = w.rng("customer-daily", k)
    rows = []
    start = w.n_initial + k * w.new_per_day
    for i in range(start, start + w.new_per_day):
        rows.append(make_customer(w, i))
    n_upd = max(1, int(w.n_customers * 0.0002))
    for i in sorted(rng.sample(range(w.n_known(k)), min(n_upd, w.n_known(k)))):
        rec = make_customer(w, i)
        country = rec[10].upper()
        city, code, _, stem, areas, _ = rng.choice(LOCATIONS[country])
        rec[6] = f"{rng.randint(1, 9999)} {rng.choice(STREETS[country])}"
        rec[7], rec[9] = city, make_zip(rng, country, stem)
        rec[8] = code if country in ("US", "CA") else rec[8]
        rec[15] = iso_from_ms(w.day_ms(k) + rng.randrange(DAY_MS), "Z")
        rec[16] = ""  # an update never carries a (possibly un-deleting) DeleteFlag
        rows.append(rec)
    return [join_row(r, ",") for r in rows]


def customer_weekly_lines(w: World, s: int) -> tuple[list[str], list[str]]:
    """Weekly customer changes: e-mail case, new phone, preferences, sparse rows whose
    other attributes are EMPTY (must not erase), deletes; LoyaltyTier from the 2nd file on."""
    rng = w.rng("customer-weekly", s)
    header = list(CUSTOMER_COLUMNS)
    with_tier = s >= 2 * WEEKLY_EVERY
    if with_tier:
        header.append("LoyaltyTier")
    known = w.n_known(s)
    n_del = max(2, int(w.n_customers * 0.0005))
    n_upd = max(4, int(w.n_customers * 0.005))
    picks = rng.sample(range(known), min(known, n_del + n_upd))
    delete_values = ["Y", "true", "1"]
    rows = []
    stamp_ms = w.day_ms(s) - rng.randrange(1, 6 * HOUR_MS)
    for j, i in enumerate(picks):
        rec = make_customer(w, i)
        modified = iso_from_ms(stamp_ms - rng.randrange(2 * DAY_MS), "Z")
        if j < n_del:
            rec[16] = delete_values[j % 3]
            rec[15] = modified
        else:
            rec[16] = ""  # an update never carries a (possibly un-deleting) DeleteFlag
            r = rng.random()
            if r < 0.3 and rec[3]:
                e = rec[3].strip(" \t\u00a0")
                rec[3] = e.lower() if e != e.lower() else e.upper()
            elif r < 0.55:
                country = rec[10].upper()
                areas = next(x[4] for x in LOCATIONS[country] if x[0] == rec[7])
                rec[4] = make_phone(rng, country, areas, True)
            elif r < 0.8:
                flags = w.cflags[i]
                if flags & DNE:
                    flags &= ~DNE
                elif rng.random() < 0.5:
                    flags |= DNS
                else:
                    flags |= PREF_UNKNOWN
                rec[13] = preferences_text(rng, flags & ~PREF_EMPTY)
            else:
                # Sparse row: only the key, a new city and DateModified; Email, phones etc.
                # are EMPTY although they had values before (a NULL never erases).
                city = rng.choice(LOCATIONS[rec[10].upper()])[0]
                rec = [rec[0]] + [""] * (len(CUSTOMER_COLUMNS) - 1)
                rec[7] = city
            rec[15] = modified
        if with_tier:
            rec.append(rng.choice(LOYALTY_TIERS) if rng.random() < 0.8 else "")
        rows.append(rec)
    rows.sort(key=lambda r: r[0])
    return [join_row(r, ",") for r in rows], header
