"""Transactions and their items. POS transactions belong to the store's local business day,
e-commerce orders to the UTC day; TransactionTimeStamp is written with an offset, with Z or
without offset (UTC). Recent non-holdout recipients buy about 1 + UPLIFT times as often, so
attribution and holdout lift find a signal. Total = sum(Demand SaleRevenue) - Discount + Tax;
returns are negative with Returned lines; corrections arrive the next day as Canceled lines.
The last e-commerce orders of a day are those of customers who logged in on a cookie they
first used anonymously (visitors.email_anonymous_journey): their checkout session carries
that cookie."""
from __future__ import annotations

from typing import TYPE_CHECKING

from .catalog import pick_org
from .clock import DAY_MS, MINUTE_MS, fmt_offset, utc_offset_minutes
from .params import (CANCELED_LINE_RATE, CHECKOUT_EVENT_SHARE, CORRECTION_RATE, CURRENCY,
                     RETURN_SHARE, TAX_RATE, UPLIFT)
from .text import money

if TYPE_CHECKING:
    from .context import DayContext
    from .world import World


def transactions_for_day(w: World, ctx: DayContext, k: int) -> dict[str, list[str]]:
    """Transactions and items of data day k (POS: local business day; ecom: UTC day).
    Also stores tomorrow's correction lines in ctx.corrections[k] and returns
    'checkouts' for the web events: (txn, customer, ts_ms, total, cookie or None)."""
    rng = w.rng("transactions", k)
    rnd, rr = rng.random, rng.randrange
    ymd = w.ymd(k)
    date_k = w.date(k)
    known = w.n_known(k)
    recent = ctx.recent_treated(k)
    # Share of buyers drawn from recent recipients so that they buy (1 + UPLIFT) times as
    # often as everybody else, whatever the scale.
    uplift_share = min(0.5, UPLIFT * len(recent) / known)
    out = {"pos_transaction": [], "ecom_transaction": [], "pos_transactionitem": [],
           "ecom_transactionitem": [], "checkouts": []}
    corrections = {"pos": [], "ecom": []}
    picks = w.product_picks
    buys = ctx.anonymous_buys(k)[:w.ecom_q[k]]
    seq = 0
    for channel, count in (("pos", w.pos_q[k]), ("ecom", w.ecom_q[k] - len(buys))):
        txn_lines = out[f"{channel}_transaction"]
        item_lines = out[f"{channel}_transactionitem"]
        for _ in range(count):
            seq += 1
            txn = f"T{ymd}{seq:06d}"
            cust = recent[rr(len(recent))] if rnd() < uplift_share else rr(known)
            org = pick_org(w, rng, cust, channel)
            country = org.country
            if channel == "pos":
                local_s = rr(10 * 3600, 21 * 3600) if rnd() < 0.9 else rr(9 * 3600, 22 * 3600)
                off = utc_offset_minutes(org.tz, date_k)
                utc_ms = w.day_ms(k) + local_s * 1000 - off * MINUTE_MS
            else:
                utc_ms = w.day_ms(k) + rr(DAY_MS // 1000) * 1000
                off = utc_offset_minutes(org.tz, date_k)
            r = rnd()
            if r < (0.5 if channel == "pos" else 0.25):
                ts = w.utc_text(utc_ms + off * MINUTE_MS) + fmt_offset(off)
            elif r < 0.8:
                ts = w.utc_text(utc_ms, "Z")
            else:
                ts = w.utc_text(utc_ms)
            is_return = rnd() < RETURN_SHARE
            n_lines = 1 + (rnd() < 0.55) + (rnd() < 0.45) + (rnd() < 0.3)
            if is_return:
                n_lines = min(n_lines, 2)
            subtotal = 0
            first_demand = None
            for ln in range(1, n_lines + 1):
                p = picks[rr(len(picks))]
                qty = 1 if rnd() < 0.75 else (2 if rnd() < 0.7 else 3)
                unit = p.price if rnd() < 0.85 else p.price * 7 // 10
                if is_return:
                    qty, typ = -qty, "Returned"
                elif ln > 1 and rnd() < CANCELED_LINE_RATE:
                    typ = "Canceled"
                else:
                    typ = "Demand"
                rev = qty * unit
                if typ != "Canceled":
                    subtotal += rev
                if typ == "Demand" and first_demand is None:
                    first_demand = (p, unit)
                item = f"{txn}-{ln}"
                if channel == "pos":
                    item_lines.append(f"{item}|{txn}|{p.id}|{p.name_pipe}|{p.category}|"
                                      f"{qty}|{money(rev)}|{typ}")
                else:
                    item_lines.append(f"{txn},{item},{p.id},{qty},{money(rev)},{typ},"
                                      f"{p.name_comma},{p.category}")
            discount = 0
            if not is_return and rnd() < 0.2:
                discount = subtotal * rng.choice([10, 15, 20]) // 100
            tax = (subtotal - discount) * int(TAX_RATE[country] * 1000) // 1000
            total = subtotal - discount + tax
            currency = CURRENCY[country]
            if country == "US" and rnd() < 0.1:
                currency = ""  # brand default currency
            disc_text = money(discount) if discount or rnd() < 0.5 else ""
            typ = "Return" if is_return else "Purchase"
            if channel == "pos":
                txn_lines.append(f"{txn},{w.cnum(cust)},{org.id},{ts},{typ},{money(total)},"
                                 f"{currency},{disc_text},{money(tax)},,R{1 + rr(12):02d}")
            else:
                device = ("web", "app", "web", "")[rr(4)]
                txn_lines.append(f"{txn},{ts},{w.cnum(cust)},{org.id},{typ},{currency},"
                                 f"{money(total)},{disc_text},{money(tax)},,{device}")
                if not is_return and rnd() < CHECKOUT_EVENT_SHARE:
                    out["checkouts"].append((txn, cust, utc_ms, money(total), None))
            if first_demand and rnd() < CORRECTION_RATE:
                p, unit = first_demand
                item = f"{txn}-C1"
                if channel == "pos":
                    line = (f"{item}|{txn}|{p.id}|{p.name_pipe}|{p.category}|-1|"
                            f"{money(-unit)}|Canceled")
                else:
                    line = (f"{txn},{item},{p.id},-1,{money(-unit)},Canceled,"
                            f"{p.name_comma},{p.category}")
                corrections[channel].append(line)
    _anonymous_orders(w, k, buys, seq, out)
    ctx.corrections[k] = corrections
    return out


def _anonymous_orders(w: World, k: int, buys: list[tuple], seq: int, out: dict):
    """E-commerce purchases of customers who identified an anonymous cookie (the day's last
    transaction numbers after seq), each with a checkout on that cookie."""
    rng = w.rng("anonymous-orders", k)
    rnd, rr = rng.random, rng.randrange
    ymd, date_k = w.ymd(k), w.date(k)
    picks = w.product_picks
    for _, utc_ms, cust, cookie in buys:
        seq += 1
        txn = f"T{ymd}{seq:06d}"
        org = pick_org(w, rng, cust, "ecom")
        off = utc_offset_minutes(org.tz, date_k)
        r = rnd()
        if r < 0.25:
            ts = w.utc_text(utc_ms + off * MINUTE_MS) + fmt_offset(off)
        elif r < 0.8:
            ts = w.utc_text(utc_ms, "Z")
        else:
            ts = w.utc_text(utc_ms)
        subtotal = 0
        for ln in range(1, 2 + (rnd() < 0.5)):
            p = picks[rr(len(picks))]
            qty = 1 if rnd() < 0.8 else 2
            rev = qty * p.price
            subtotal += rev
            out["ecom_transactionitem"].append(f"{txn},{txn}-{ln},{p.id},{qty},{money(rev)},"
                                               f"Demand,{p.name_comma},{p.category}")
        tax = subtotal * int(TAX_RATE[org.country] * 1000) // 1000
        total = subtotal + tax
        out["ecom_transaction"].append(f"{txn},{ts},{w.cnum(cust)},{org.id},Purchase,"
                                       f"{CURRENCY[org.country]},{money(total)},,{money(tax)},,"
                                       f"web")
        out["checkouts"].append((txn, cust, utc_ms, money(total), cookie))
