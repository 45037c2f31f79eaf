"""Contact details as messy as real sources send them: e-mail addresses (case, surrounding
spaces / tabs / NBSP, gmail dots and +tags, googlemail), national and international phone
formats, ZIP+4 and postcodes, and the Preferences flags text."""
from __future__ import annotations

from .params import DNC, DNE, DNS, PREF_EMPTY, PREF_UNKNOWN
from .reference import EMAIL_DOMAINS
from .text import WHITESPACE, ascii_fold


def make_email(rng, first: str, last: str, country: str) -> str:
    f = ascii_fold(first).lower().replace(" ", "").replace("'", "")
    la = ascii_fold(last).lower().replace(" ", "").replace("'", "")
    p = rng.randrange(5)
    if p == 0:
        local = f"{f}.{la}"
    elif p == 1:
        local = f"{f}{la}{rng.randint(10, 99)}"
    elif p == 2:
        local = f"{f[0]}{la}{rng.randint(1, 999)}"
    elif p == 3:
        local = f"{f}_{la}{rng.randint(1950, 2006)}"
    else:
        local = f"{la}.{f}{rng.randint(1, 99)}"
    domains, weights = EMAIL_DOMAINS[country]
    domain = rng.choices(domains, weights)[0]
    if domain == "gmail.com":
        if rng.random() < 0.2:
            local += "+" + rng.choice(["shop", "news", "brand", "promo"])
        if rng.random() < 0.15:
            domain = "googlemail.com"
    email = f"{local}@{domain}"
    r = rng.random()
    if r < 0.08:
        email = ".".join(x.capitalize() for x in local.split(".")) + "@" + domain.capitalize()
    elif r < 0.11:
        email = email.upper()
    if rng.random() < 0.03:
        email = rng.choice(WHITESPACE) + email + rng.choice(["", " ", "\t", "\u00a0"])
    return email


def make_phone(rng, country: str, area_codes: list[str], mobile: bool) -> str:
    r = rng.random()
    if country in ("US", "CA"):
        a = rng.choice(area_codes)
        e, n = rng.randint(201, 989), rng.randrange(10000)
        forms = [f"({a}) {e}-{n:04d}", f"{a}-{e}-{n:04d}", f"+1 {a}-{e}-{n:04d}",
                 f"{a}{e}{n:04d}", f"+1 ({a}) {e}-{n:04d}", f"1-{a}-{e}-{n:04d}"]
        return forms[min(5, int(r * 6))]
    if country == "GB":
        if mobile:
            body = f"7{rng.randint(100, 999)} {rng.randint(100000, 999999)}"
        elif area_codes[0] == "20":
            body = f"20 7{rng.randint(100, 999)} {rng.randint(1000, 9999)}"
        else:
            body = f"{area_codes[0]} {rng.randint(200, 999)} {rng.randint(1000, 9999)}"
        return f"0{body}" if r < 0.6 else (f"+44 {body}" if r < 0.85 else f"0044 {body}")
    if country == "FR":
        first = rng.choice(["6", "7"]) if mobile else area_codes[0]
        pairs = " ".join(f"{rng.randrange(100):02d}" for _ in range(4))
        if r < 0.6:
            return f"0{first} {pairs}"
        if r < 0.85:
            return f"+33 {first} {pairs}"
        return f"+33{first}{pairs.replace(' ', '')}"
    # DE
    if mobile:
        a, n = rng.choice(["151", "160", "171", "176"]), f"{rng.randint(1000000, 99999999)}"
    else:
        a, n = area_codes[0], f"{rng.randint(1000000, 9999999)}"
    return f"0{a} {n}" if r < 0.6 else (f"+49 {a} {n}" if r < 0.85 else f"0049 {a} {n}")


def make_zip(rng, country: str, stem: str) -> str:
    if country == "US":
        z = f"{stem}{rng.randrange(1, 100):02d}"
        return f"{z}-{rng.randrange(10000):04d}" if rng.random() < 0.2 else z
    if country == "CA":
        return f"{stem} {rng.randint(1, 9)}{rng.choice('ABCEGHJKLMNPRSTVXY')}{rng.randint(1, 9)}"
    if country == "GB":
        return f"{stem} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}" \
               f"{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
    if country == "FR":
        return f"{stem}{rng.randint(1, 20):02d}"
    return f"{stem}{rng.randint(10, 99)}"


def preferences_text(rng, flags: int) -> str:
    if flags & PREF_EMPTY:
        return ""
    parts = [f"DNE={'Y' if flags & DNE else 'N'}", f"DNC={'Y' if flags & DNC else 'N'}",
             f"DNS={'Y' if flags & DNS else 'N'}"]
    if flags & PREF_UNKNOWN:
        parts.insert(rng.randrange(4), "XYZ=Y")
    if rng.random() < 0.1:
        rng.shuffle(parts)
    return "&".join(parts)


def messy_email(rng, email: str) -> str:
    """The same address as a source system might send it: other case, spaces."""
    e = email.strip(" \t\u00a0")
    r = rng.random()
    if r < 0.3:
        e = e.upper()
    elif r < 0.6:
        e = e.lower()
    elif r < 0.8:
        e = e[:1].upper() + e[1:]
    if rng.random() < 0.2:
        e = " " + e + " "
    return e


def variant_email(rng, email: str) -> str:
    """A form-typed variant: gmail without dots / +tag, googlemail <-> gmail, or messy."""
    e = email.strip(" \t\u00a0").lower()
    local, _, domain = e.partition("@")
    if domain in ("gmail.com", "googlemail.com") and rng.random() < 0.6:
        local = local.split("+")[0]
        if rng.random() < 0.5:
            local = local.replace(".", "")
        domain = "googlemail.com" if domain == "gmail.com" else "gmail.com"
        return f"{local}@{domain}"
    return messy_email(rng, email)
