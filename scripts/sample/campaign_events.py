"""Recipients and events of one dispatch. Events follow a funnel per recipient (send ->
bounce | open -> click -> landing page view, unsubscribe; sms send -> deliver -> click;
direct-mail send, holdout included) within EVENT_LOOKBACK_DAYS of the send; about 5 % carry
only the customer's e-mail. The landing page view of an e-mail click carries the customer and
the message number, except for ANON_LANDING_SHARE of the clicks, which land in an anonymous
session on a new cookie that a later login may identify (visitors.email_anonymous_journey)."""
from __future__ import annotations

import bisect
from typing import TYPE_CHECKING

from .clock import DAY_MS, HOUR_MS, MINUTE_MS
from .contacts import messy_email
from .customers import customer_email
from .params import (ANON_LANDING_SHARE, DNC, DNE, EMAIL_BOUNCE_RATE, EMAIL_CLICK_RATE,
                     EMAIL_HARD_BOUNCE_SHARE, EMAIL_ONLY_IDENTITY, EMAIL_OPEN_DELAY_MS,
                     EMAIL_REOPEN_RATE, EMAIL_UNSUB_RATE, EVENT_LOOKBACK_DAYS, HAS_EMAIL,
                     HAS_MOBILE, SMS_CLICK_RATE, SMS_DELIVER_RATE, SMS_STOP_RATE)
from .text import esc
from .visitors import email_anonymous_journey

if TYPE_CHECKING:
    from .campaigns import Dispatch
    from .world import World


def dispatch_recipients(w: World, d: Dispatch) -> tuple[list[int], list[int]]:
    """Recipients (customer indexes) of a dispatch and the message index of each."""
    if d.channel == "paidSocial" or d.audience == 0:
        return [], []
    rng = w.rng("recipients", d.id)
    pool = w.n_known(d.send_day)
    flags = w.cflags
    if d.channel == "email":
        ok = lambda i: flags[i] & HAS_EMAIL and not flags[i] & DNE  # noqa: E731
    elif d.channel == "sms":
        ok = lambda i: flags[i] & HAS_MOBILE and not flags[i] & DNC  # noqa: E731
    else:
        ok = lambda i: True  # noqa: E731
    draw = min(pool, int(d.audience * 1.5) + 10)
    recips = [i for i in rng.sample(range(pool), draw) if ok(i)][:d.audience]
    cum, acc = [], 0.0
    for m in d.messages:
        acc += m.share
        cum.append(acc)
    last = len(cum) - 1
    rnd = rng.random
    assign = [min(last, bisect.bisect_right(cum, rnd() * acc)) for _ in recips]
    return recips, assign


def dispatch_events(w: World, d: Dispatch, recips: list[int], assign: list[int]):
    """All events of a dispatch as {data day: [(ts, file kind, line), ...]}, and the orders
    that follow an anonymous landing and a login: [(data day, ts ms, customer, cookie)]."""
    out: dict[int, list] = {}
    buys: list[tuple] = []
    if not recips:
        return out, buys
    rng = w.rng("dispatch-events", d.id)
    anon = w.rng("anonymous-landings", d.id) if d.channel == "email" else None
    rnd, rr = rng.random, rng.randrange
    ms0, horizon_ms = w.ms0, w.day_ms(w.horizon)
    cap_ms = d.send_ms + (EVENT_LOOKBACK_DAYS - 1) * DAY_MS
    cnum = w.cnum

    def add(ts, kind, line):
        if ts < horizon_ms:
            out.setdefault((ts - ms0) // DAY_MS, []).append((ts, kind, line))

    msgs = d.messages
    if d.channel == "email":
        for r, mi in zip(recips, assign):
            m = msgs[mi]
            mid = m.id
            if rnd() < EMAIL_ONLY_IDENTITY:
                c, e = "", esc(messy_email(rng, customer_email(w, r)), ",")
            else:
                c, e = cnum(r), ""
            ts = d.send_ms + rr(2 * HOUR_MS)
            add(ts, "esp_event", f"emailSend,{ts},{c},{e},,{mid},")
            if rnd() < EMAIL_BOUNCE_RATE:
                sub = "hard" if rnd() < EMAIL_HARD_BOUNCE_SHARE else "soft"
                t = ts + rr(1000, 600_000)
                add(t, "esp_event", f"emailBounce,{t},{c},{e},{sub},{mid},")
                continue
            if rnd() >= m.open_rate:
                continue
            t_open = ts + MINUTE_MS + int(rng.expovariate(1 / EMAIL_OPEN_DELAY_MS))
            if t_open > cap_ms:
                continue
            add(t_open, "esp_event", f"emailOpen,{t_open},{c},{e},,{mid},")
            if rnd() < EMAIL_REOPEN_RATE:
                t = t_open + rr(MINUTE_MS, DAY_MS)
                if t <= cap_ms:
                    add(t, "esp_event", f"emailOpen,{t},{c},{e},,{mid},")
            if rnd() < EMAIL_CLICK_RATE:
                t = t_open + rr(5000, 30 * MINUTE_MS)
                link_i = rr(len(m.links))
                url = m.links[link_i]
                add(t, "esp_event", f"emailClick,{t},{c},{e},,{mid},{url}")
                # landing page view on the site, tied to the message
                t2 = t + rr(2000, 60_000)
                prod = m.products[link_i].id if link_i < len(m.products) else ""
                we = "" if c else e.strip('"')
                sess = f"{rng.getrandbits(48):012x}"
                dev = "mobile" if rnd() < 0.6 else "desktop"
                if anon.random() < ANON_LANDING_SHARE:
                    buy = email_anonymous_journey(w, anon, d, m, r, url, prod, t2, sess, dev, add)
                    if buy:
                        buys.append(buy)
                else:
                    land = f"{url}?utm_source=email&utm_campaign={d.campaign.id}"
                    add(t2, "web_event", f"{t2}\tproductBrowsed\t{c}\t{esc(we, chr(9))}\t"
                        f"{w.cookie(r)}\t{sess}\t{land}\t{prod}\t\t\t{mid}\t{dev}")
            if rnd() < EMAIL_UNSUB_RATE:
                t = t_open + rr(10_000, 10 * MINUTE_MS)
                add(t, "esp_event", f"emailUnsubscribe,{t},{c},{e},,{mid},")
    elif d.channel == "sms":
        for r, mi in zip(recips, assign):
            m = msgs[mi]
            mid, c = m.id, cnum(r)
            ts = d.send_ms + rr(30 * MINUTE_MS)
            add(ts, "sms_event", f"{ts},smsSend,{c},{mid},")
            if rnd() >= SMS_DELIVER_RATE:
                continue
            t = ts + rr(1000, 30_000)
            add(t, "sms_event", f"{t},smsDeliver,{c},{mid},")
            if rnd() < SMS_CLICK_RATE:
                t2 = t + rr(MINUTE_MS, 6 * HOUR_MS)
                add(t2, "sms_event", f"{t2},smsClick,{c},{mid},{m.links[0]}")
            if rnd() < SMS_STOP_RATE:
                t2 = t + rr(MINUTE_MS, HOUR_MS)
                add(t2, "sms_event", f"{t2},smsUnsubscribe,{c},{mid},")
    else:  # directMail: every recipient, holdout included ("assigned to holdout")
        for r, mi in zip(recips, assign):
            ts = d.send_ms + rr(HOUR_MS)
            add(ts, "dm_event", f"{cnum(r)},{msgs[mi].id},directMailSend,{ts}")
    return out, buys
