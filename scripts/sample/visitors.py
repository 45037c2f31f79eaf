"""Anonymous web visitors: web events that carry only a Cookie (and mostly a SessionID), no
SourceCustomerNumber and no Email, and the events that later tie such a cookie to a customer
(a ``login`` carrying customer number and cookie).

* E-mail clicks that land in an anonymous session on a new cookie (a second device): a landing
  with ``utm_source=email&utm_medium=email&utm_campaign=<campaign>&utm_content=<message>`` and
  no SourceMessageNumber, a few anonymous page views, then on most cookies a login, in the same
  session or 1-5 days later in a new one; some of those customers then order on the site with
  that cookie (``email_anonymous_journey``; the order is made by ``transactions``).
* Per day (``visitor_sessions``): paid-search landings (``utm_source=google&utm_medium=cpc&
  gclid=...``, anonymous or identified); cookies without SessionID whose two visits lie more
  than 30 minutes apart (sessions are then split by inactivity), some ending in a login; cookies
  shared by two customers (login as A, later as B, then anonymous views); and every
  ODD_URL_EVERY days one anonymous landing with a malformed or odd URL (ODD_URLS).
* Paid-social landings carry the platform's click id (``paid_social_click_id``); browsing on a
  new cookie is partly anonymous until a login in the session (``events.web_events``).
"""
from __future__ import annotations

import base64
from typing import TYPE_CHECKING

from .clock import DAY_MS, HOUR_MS, MINUTE_MS
from .params import (ANON_BUY_RATE, ANON_IDENTIFY_RATE, ANON_SAME_DAY_SHARE,
                     EVENT_LOOKBACK_DAYS, NO_SESSION_COOKIE_SHARE, ODD_URL_EVERY,
                     PAID_SEARCH_SESSION_SHARE, SHARED_COOKIE_SHARE, SITE)
from .reference import CATEGORIES

if TYPE_CHECKING:
    from .campaigns import Dispatch, Message
    from .world import World

LOGIN_URL = f"{SITE}/account/login"
CLICK_ID_PARAM = {"facebook": "fbclid", "instagram": "fbclid", "tiktok": "ttclid"}
# Landing URLs a parser of query strings must survive: {u} the message link, {c} the campaign,
# {m} the message.
ODD_URLS = [
    ("bad_escape", "{u}?utm_source=email&utm_medium=email&utm_campaign={c}&utm_content=%zz{m}"),
    ("trailing_percent", "{u}?utm_source=email&utm_medium=email&utm_campaign={c}"
                         "&utm_content={m}%"),
    ("truncated_utf8", "{u}?utm_source=email&utm_medium=email&utm_campaign={c}&utm_term=caf%C3"),
    ("upper_case_keys", "{u}?UTM_Source=email&UTM_Medium=email&UTM_Campaign={c}&UTM_Content={m}"),
    ("repeated_keys", "{u}?utm_source=email&utm_source=newsletter&utm_medium=email"
                      "&utm_campaign={c}&utm_campaign={c}"),
    ("fragment_only", "{u}#utm_source=email&utm_medium=email&utm_campaign={c}"),
    ("double_question_mark", "{u}??utm_source=email&utm_medium=email&utm_campaign={c}"),
    ("encoded_spaces", "{u}?utm_source=email&utm_medium=email&utm_campaign={c}"
                       "&utm_term=winter+sale%20boots"),
    ("non_ascii", "{u}?utm_source=email&utm_medium=email&utm_campaign={c}&utm_term=caf%C3%A9"),
]


def web_line(ts: int, typ: str, c: str, e: str, cookie: str, sess: str, url: str, prod="",
             txn="", value="", msg="", dev="") -> tuple[int, str]:
    """(ts, line) of the web event file (TAB, feeds.WEB_COLUMNS)."""
    return ts, (f"{ts}\t{typ}\t{c}\t{e}\t{cookie}\t{sess}\t{url}\t{prod}\t{txn}\t{value}\t"
                f"{msg}\t{dev}")


def new_cookie(rng) -> str:
    return f"ck{rng.getrandbits(48):012x}"


def new_session(rng) -> str:
    return f"{rng.getrandbits(48):012x}"


def click_id(rng, prefix: str, n_bytes: int) -> str:
    """A platform-like click id: a fixed prefix and URL-safe base64 of random bytes."""
    raw = rng.getrandbits(8 * n_bytes).to_bytes(n_bytes, "big")
    return prefix + base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def paid_social_click_id(rng, subtype: str) -> str:
    """``fbclid=...`` (Meta platforms) or ``ttclid=...`` (TikTok) for a paid-social landing."""
    param = CLICK_ID_PARAM.get(subtype, "fbclid")
    return f"{param}={click_id(rng, 'IwAR' if param == 'fbclid' else 'E.C.P.', 42)}"


def email_landing_url(link: str, campaign_id: str, message_id: str) -> str:
    return (f"{link}?utm_source=email&utm_medium=email&utm_campaign={campaign_id}"
            f"&utm_content={message_id}")


def page_view(w: World, rng) -> tuple[str, str, str]:
    """(Type, URL, SourceProductNumber) of a plain page view."""
    if rng.random() < 0.25:
        cat = CATEGORIES[rng.randrange(len(CATEGORIES))]
        return "categoryBrowsed", f"{SITE}/c/{cat.lower().replace(' ', '-')}", ""
    p = w.product_picks[rng.randrange(len(w.product_picks))]
    return "productBrowsed", f"{SITE}/p/{p.id}", p.id


def email_anonymous_journey(w: World, rng, d: Dispatch, m: Message, r: int, link: str,
                            prod: str, t: int, sess: str, dev: str, add) -> tuple | None:
    """An e-mail click of recipient r that lands at t in an anonymous session on a new cookie:
    the landing, anonymous page views, then (ANON_IDENTIFY_RATE) a login with that cookie in
    the same session or 1-5 days later. Draws from rng (the dispatch's generator of anonymous
    landings); events go to add(ts, kind, line), never beyond the days whose files take the
    dispatch's events. Returns the order that follows the login (ANON_BUY_RATE) as
    (data day, ts ms, customer, cookie), or None."""
    rr = rng.randrange
    max_day = d.send_day + EVENT_LOOKBACK_DAYS

    def day_of(ts: int) -> int:
        return (ts - w.ms0) // DAY_MS

    def emit(ts, typ, c, url, p=""):
        if day_of(ts) <= max_day:
            add(ts, "web_event", web_line(ts, typ, c, "", cookie, sess, url, p, dev=dev)[1])

    cookie = new_cookie(rng)
    emit(t, "productBrowsed", "", email_landing_url(link, d.campaign.id, m.id), prod)
    for _ in range(1 + rr(3)):
        t += rr(20_000, 4 * MINUTE_MS)
        typ, url, p = page_view(w, rng)
        emit(t, typ, "", url, p)
    if rng.random() >= ANON_IDENTIFY_RATE:
        return None
    if rng.random() < ANON_SAME_DAY_SHARE or day_of(t) >= max_day:
        t += rr(MINUTE_MS, 20 * MINUTE_MS)
    else:
        later = min(max_day, day_of(t) + 1 + rr(5))
        t = w.day_ms(later) + rr(6 * HOUR_MS, 22 * HOUR_MS)
        sess = new_session(rng)
    if day_of(t) > max_day:
        return None
    c, t_login = w.cnum(r), t
    emit(t, "login", c, LOGIN_URL)
    for _ in range(rr(3)):
        t += rr(20_000, 4 * MINUTE_MS)
        typ, url, p = page_view(w, rng)
        emit(t, typ, c, url, p)
    if rng.random() >= ANON_BUY_RATE:
        return None
    buy = (t // 1000 + rr(45 * 60, 120 * 60)) * 1000
    if day_of(buy) != day_of(t_login):
        return None
    return day_of(buy), buy, r, cookie


def _stochastic_count(rng, x: float) -> int:
    n = int(x)
    return n + (rng.random() < x - n)


def _email_message_for(w: World, k: int) -> Message | None:
    """The first message of the latest e-mail dispatch sent on or before day k (None before
    the first one)."""
    for day in range(k, -1, -1):
        for d in reversed(w.dispatches_by_day.get(day, ())):
            if d.channel == "email":
                return d.messages[0]
    return None


def visitor_sessions(w: World, k: int, quota: int) -> list[tuple[int, str]]:
    """Anonymous-visitor sessions of day k, scaled by the day's web quota: paid-search
    landings, cookies without SessionID, shared cookies, and an odd-URL landing."""
    rng = w.rng("visitors", k)
    rnd, rr = rng.random, rng.randrange
    day0 = w.day_ms(k)
    known = w.n_known(k)
    picks = w.product_picks
    out: list[tuple[int, str]] = []

    def device():
        return ("mobile", "mobile", "desktop", "tablet")[rr(4)]

    # Paid-search landings: anonymous on a new cookie, or identified on the customer's own.
    for _ in range(_stochastic_count(rng, quota * PAID_SEARCH_SESSION_SHARE)):
        t = day0 + rr(DAY_MS - 2 * HOUR_MS)
        sess, dev = new_session(rng), device()
        if rnd() < 0.5:
            c, cookie = "", new_cookie(rng)
        else:
            cust = rr(known)
            c, cookie = w.cnum(cust), w.cookie(cust)
        p = picks[rr(len(picks))]
        url = (f"{SITE}/p/{p.id}?utm_source=google&utm_medium=cpc"
               f"&gclid={click_id(rng, 'Cj0KCQjw', 48)}")
        out.append(web_line(t, "productBrowsed", c, "", cookie, sess, url, p.id, dev=dev))
        for _ in range(rr(3)):
            t += rr(20_000, 5 * MINUTE_MS)
            typ, url, pid = page_view(w, rng)
            out.append(web_line(t, typ, c, "", cookie, sess, url, pid, dev=dev))

    # Cookies without SessionID: two visits more than 30 minutes apart; some end in a login.
    for _ in range(_stochastic_count(rng, quota * NO_SESSION_COOKIE_SHARE)):
        cookie, dev = new_cookie(rng), device()
        t = day0 + rr(DAY_MS - 8 * HOUR_MS)
        for visit in range(2):
            if visit:
                t += rr(35 * MINUTE_MS, 4 * HOUR_MS)
            for i in range(1 + rr(3)):
                if i:
                    t += rr(20_000, 10 * MINUTE_MS)
                typ, url, pid = page_view(w, rng)
                out.append(web_line(t, typ, "", "", cookie, "", url, pid, dev=dev))
        if rnd() < 0.5:
            t += rr(10_000, 5 * MINUTE_MS)
            out.append(web_line(t, "login", w.cnum(rr(known)), "", cookie, "", LOGIN_URL,
                                dev=dev))

    # Shared cookies: customer A logs in, hours later customer B on the same cookie, then
    # anonymous views (in B's session or a later one).
    for _ in range(_stochastic_count(rng, quota * SHARED_COOKIE_SHARE)):
        a = rr(known)
        b = (a + 1 + rr(known - 1)) % known
        cookie, dev = new_cookie(rng), ("tablet", "desktop")[rr(2)]
        t = day0 + rr(6 * HOUR_MS, 10 * HOUR_MS)
        for cust in (a, b):
            if cust == b:
                t += rr(2 * HOUR_MS, 6 * HOUR_MS)
            sess, c = new_session(rng), w.cnum(cust)
            out.append(web_line(t, "login", c, "", cookie, sess, LOGIN_URL, dev=dev))
            for _ in range(1 + rr(2)):
                t += rr(20_000, 5 * MINUTE_MS)
                typ, url, pid = page_view(w, rng)
                out.append(web_line(t, typ, c, "", cookie, sess, url, pid, dev=dev))
        if rnd() < 0.5:
            t += rr(MINUTE_MS, 10 * MINUTE_MS)
        else:
            t += rr(40 * MINUTE_MS, 3 * HOUR_MS)
            sess = new_session(rng)
        for i in range(1 + rr(2)):
            if i:
                t += rr(20_000, 5 * MINUTE_MS)
            typ, url, pid = page_view(w, rng)
            out.append(web_line(t, typ, "", "", cookie, sess, url, pid, dev=dev))

    # A landing with a malformed or odd URL (anonymous, new cookie), then one page view.
    m = _email_message_for(w, k) if k % ODD_URL_EVERY == 0 else None
    if m is not None:
        _, template = ODD_URLS[(k // ODD_URL_EVERY) % len(ODD_URLS)]
        url = template.format(u=m.links[0], c=m.dispatch.campaign.id, m=m.id)
        t = max(day0 + rr(HOUR_MS, DAY_MS - 3 * HOUR_MS), m.dispatch.send_ms + 10 * MINUTE_MS)
        cookie, sess, dev = new_cookie(rng), new_session(rng), device()
        out.append(web_line(t, "productBrowsed", "", "", cookie, sess, url,
                            m.products[0].id, dev=dev))
        t += rr(20_000, 5 * MINUTE_MS)
        typ, url, pid = page_view(w, rng)
        out.append(web_line(t, typ, "", "", cookie, sess, url, pid, dev=dev))
    return out
