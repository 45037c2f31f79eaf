"""The event files of a day: campaign events of the dispatches of the last days (with the
ESP's re-sends of yesterday's events), web sessions (checkout sessions of e-commerce orders,
browsing, paid-social landings with click ids, anonymous visitors), custom event types and
subscription changes."""
from __future__ import annotations

from typing import TYPE_CHECKING

from .campaigns import paid_social_messages
from .catalog import pick_org
from .clock import DAY_MS, HOUR_MS, MINUTE_MS
from .contacts import messy_email, variant_email
from .customers import customer_email
from .params import (CLEARED_COOKIE_ANON_SHARE, CLICK_ID_SHARE, EVENT_LOOKBACK_DAYS, HAS_EMAIL,
                     PAID_SOCIAL_SESSION_SHARE, RESEND_RATE, SITE)
from .reference import CATEGORIES, SEARCH_TERMS
from .text import esc, money
from .visitors import LOGIN_URL, new_cookie, paid_social_click_id, visitor_sessions
from .visitors import web_line as line

if TYPE_CHECKING:
    from .context import DayContext
    from .world import World


def web_events(w: World, k: int, checkouts: list, quota: int) -> list[tuple[int, str]]:
    """Web sessions of day k (TAB file) up to the quota: the anonymous-visitor sessions of
    visitors.visitor_sessions, checkout sessions of e-commerce orders (on the customer's cookie,
    or on the cookie an anonymous visit was identified with), then browsing sessions, some
    landing from a paid-social ad (most with the platform's click id). Browsing uses a new
    cookie 20 % of the time (cleared cookies, another device); CLEARED_COOKIE_ANON_SHARE of
    those sessions are anonymous until a login in the session."""
    rng = w.rng("web", k)
    rnd, rr = rng.random, rng.randrange
    vrng = w.rng("web-visitors", k)  # decisions added for anonymous visitors
    day0, day_end = w.day_ms(k), w.day_ms(k + 1) - 1
    known = w.n_known(k)
    paid = paid_social_messages(w, k)
    picks = w.product_picks
    visitors = visitor_sessions(w, k, quota)
    budget = max(quota // 2, quota - len(visitors))
    out: list[tuple[int, str]] = []

    def identity(cust: int):
        r = rnd()
        if r < 0.9 or not w.cflags[cust] & HAS_EMAIL:
            return w.cnum(cust), ""
        e = esc(variant_email(rng, customer_email(w, cust)), "\t")
        return ("" if r < 0.95 else w.cnum(cust)), e

    for txn, cust, ts, total, stitched in checkouts:
        if budget <= 0:
            break
        c, e = identity(cust)
        if stitched:  # the cookie of an identified anonymous visit, customer number given
            c = w.cnum(cust)
        cookie, sess = stitched or w.cookie(cust), f"{rng.getrandbits(48):012x}"
        dev = "mobile" if rnd() < 0.55 else "desktop"
        n_browse = min(budget - 2, 1 + rr(3))
        t = ts - rr(5, 40) * MINUTE_MS
        for _ in range(max(0, n_browse)):
            p = picks[rr(len(picks))]
            out.append(line(max(day0, t), "productBrowsed", c, e, cookie, sess,
                            f"{SITE}/p/{p.id}", p.id, dev=dev))
            t += rr(20_000, 300_000)
        budget -= max(0, n_browse)
        if budget >= 2:
            out.append(line(max(day0, min(t, ts - 1000)), "cartUpdated", c, e, cookie, sess,
                            f"{SITE}/cart", value=total, dev=dev))
            budget -= 1
        out.append(line(ts, "checkout", c, e, cookie, sess, f"{SITE}/checkout/confirmation",
                        txn=txn, value=total, dev=dev))
        budget -= 1
    while budget > 0:
        cust = rr(known)
        c, e = identity(cust)
        own_cookie = rnd() < 0.8
        cookie = w.cookie(cust) if own_cookie else new_cookie(rng)
        anonymous = not own_cookie and vrng.random() < CLEARED_COOKIE_ANON_SHARE
        ic, ie = ("", "") if anonymous else (c, e)  # identity of the session's events so far
        sess = f"{rng.getrandbits(48):012x}"
        dev = ("mobile", "mobile", "desktop", "tablet")[rr(4)]
        t = day0 + rr(DAY_MS - HOUR_MS)
        msg = ""
        if paid and rnd() < PAID_SOCIAL_SESSION_SHARE:
            m = rng.choice(paid)
            msg = m.id
            p = m.products[0]
            src = m.dispatch.subtype
            url = f"{SITE}/p/{p.id}?utm_source={src}&utm_medium=paid_social"
            if vrng.random() < CLICK_ID_SHARE:
                url += "&" + paid_social_click_id(vrng, src)
            out.append(line(t, "productBrowsed", ic, ie, cookie, sess, url, p.id, msg=msg,
                            dev=dev))
            budget -= 1
            t += rr(10_000, 120_000)
        if budget > 0 and rnd() < 0.4 and not anonymous:
            out.append(line(t, "login", c, e, cookie, sess, LOGIN_URL, dev=dev))
            budget -= 1
            t += rr(5_000, 60_000)
        n = 1 + rr(5)
        login_at = min(n, 1 + vrng.randrange(2)) if anonymous else -1
        for i in range(n + 1):
            if budget <= 0 or t > day_end:
                break
            if i == login_at:  # the anonymous visitor logs in: the rest is identified
                out.append(line(t, "login", w.cnum(cust), e, cookie, sess, LOGIN_URL, dev=dev))
                budget -= 1
                t += vrng.randrange(5_000, 60_000)
                ic, ie = c, e
                if budget <= 0 or t > day_end:
                    break
            if i == n:
                break
            r = rnd()
            if r < 0.2:
                cat = CATEGORIES[rr(len(CATEGORIES))]
                out.append(line(t, "categoryBrowsed", ic, ie, cookie, sess,
                                f"{SITE}/c/{cat.lower().replace(' ', '-')}", dev=dev))
            elif r < 0.3:
                term = SEARCH_TERMS[rr(len(SEARCH_TERMS))]
                out.append(line(t, "onsiteSearch", ic, ie, cookie, sess,
                                f"{SITE}/search?q={term.replace(' ', '+')}", dev=dev))
            elif r < 0.42:
                p = picks[rr(len(picks))]
                out.append(line(t, "cartUpdated", ic, ie, cookie, sess, f"{SITE}/cart", p.id,
                                value=money(p.price * (1 + rr(3))), dev=dev))
            else:
                p = picks[rr(len(picks))]
                out.append(line(t, "productBrowsed", ic, ie, cookie, sess, f"{SITE}/p/{p.id}",
                                p.id, dev=dev))
            budget -= 1
            t += rr(5_000, 240_000)
    out.extend(visitors)
    return [(ts, ln) for ts, ln in out if ts <= day_end]


def custom_events(w: World, k: int, quota: int) -> list[tuple[int, str]]:
    """Custom event types (file without source prefix)."""
    rng = w.rng("custom-events", k)
    rnd, rr = rng.random, rng.randrange
    day0 = w.day_ms(k)
    known = w.n_known(k)
    out = []
    for _ in range(quota):
        cust = rr(known)
        c, e = w.cnum(cust), ""
        if rnd() < 0.1 and w.cflags[cust] & HAS_EMAIL:
            c, e = "", esc(messy_email(rng, customer_email(w, cust)), ",")
        ts = day0 + rr(13 * HOUR_MS, 23 * HOUR_MS)
        r = rnd()
        sub = value = prod = store = agent = ""
        if r < 0.6:
            typ = "storeVisit"
            store = pick_org(w, rng, cust, "pos").id
        elif r < 0.75:
            typ, sub = "marketingCall", rng.choice(["inbound", "outbound"])
            agent = f"AG{rr(1, 60):03d}"
        elif r < 0.9:
            typ, sub, value = "surveyFilled", rng.choice(["nps", "csat"]), str(rr(0, 11))
        else:
            typ, prod = "warrantySignup", w.product_picks[rr(len(w.product_picks))].id
        out.append((ts, f"{typ},{sub},{ts},{c},{e},{value},{prod},{store},{agent}"))
    return out


def subscription_events(w: World, k: int, quota: int) -> dict[str, list[tuple[int, str]]]:
    """Subscribe / unsubscribe events not tied to a message (esp and sms files)."""
    rng = w.rng("subscriptions", k)
    rnd, rr = rng.random, rng.randrange
    day0 = w.day_ms(k)
    known = w.n_known(k)
    out = {"esp_event": [], "sms_event": []}
    for _ in range(quota):
        cust = rr(known)
        ts = day0 + rr(DAY_MS)
        r = rnd()
        if r < 0.4:
            if rnd() < 0.6 and w.cflags[cust] & HAS_EMAIL:
                e = variant_email(rng, customer_email(w, cust))
            else:  # a prospect not (yet) in the CRM
                domain = rng.choice(["gmail.com", "yahoo.com", "outlook.com"])
                e = f"prospect.{rng.getrandbits(32):08x}@{domain}"
            out["esp_event"].append((ts, f"emailSubscribe,{ts},,{esc(e, ',')},,,"))
        elif r < 0.6:
            out["esp_event"].append((ts, f"emailUnsubscribe,{ts},{w.cnum(cust)},,,,"))
        elif r < 0.85:
            out["sms_event"].append((ts, f"{ts},smsSubscribe,{w.cnum(cust)},,"))
        else:
            out["sms_event"].append((ts, f"{ts},smsUnsubscribe,{w.cnum(cust)},,"))
    return out


def day_event_lines(w: World, ctx: DayContext, k: int, checkouts: list) -> dict[str, list[str]]:
    """Every event file of data day k, sorted by time, exact duplicate lines dropped."""
    buckets: dict[str, list[tuple[int, str]]] = {
        "esp_event": [], "sms_event": [], "dm_event": [], "web_event": [], "custom_event": []}
    for day in range(max(0, k - EVENT_LOOKBACK_DAYS), k + 1):
        for d in w.dispatches_by_day.get(day, ()):
            if d.channel == "paidSocial":
                continue
            ev = ctx.get_events(d)
            for ts, kind, line in ev.get(k, ()):
                buckets[kind].append((ts, line))
            if d.channel == "email" and day < k:  # ESP re-sends some of yesterday's events
                rs = w.rng("resend", d.id, k)
                for ts, kind, line in ev.get(k - 1, ()):
                    if kind == "esp_event" and rs.random() < RESEND_RATE:
                        buckets[kind].append((ts, line))
    for kind, items in subscription_events(w, k, w.subs_q[k]).items():
        buckets[kind].extend(items)
    buckets["web_event"].extend(web_events(w, k, checkouts, w.web_q[k]))
    buckets["custom_event"].extend(custom_events(w, k, w.custom_q[k]))
    out = {}
    for kind, items in buckets.items():
        items.sort()
        seen: set[str] = set()
        lines = []
        for _, line in items:
            if line not in seen:
                seen.add(line)
                lines.append(line)
        out[kind] = lines
    return out
