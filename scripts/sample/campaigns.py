"""The campaign plan: campaigns run 1-4 weeks; a fixed number of dispatches per day (one send
on one date and channel) is spread over them, each with 1-3 messages (A/B variants,
segments, or a direct-mail holdout whose recipients get no mail piece). Audience sizes are
scaled so that campaign events fill their share of --events."""
from __future__ import annotations

from typing import TYPE_CHECKING

from .clock import DAY_MS, HOUR_MS, MINUTE_MS
from .params import (CHANNEL_BLOCK, DM_HOLDOUT_SHARE, EMAIL_OPEN_RATE, EVENTS_PER_DISPATCH,
                     EVENTS_PER_RECIPIENT, MAX_DISPATCHES_PER_DAY, SITE, SUBTYPES, WEEKLY_EVERY)
from .reference import AUDIENCES, CAMPAIGN_THEMES, CAMPAIGN_TYPES, OWNERS, SEGMENTS
from .text import money

if TYPE_CHECKING:
    from .world import World


class Campaign:
    __slots__ = ("id", "name", "description", "type", "start_day", "end_day", "created",
                 "budget", "owner", "dispatches", "max_dispatches", "slot")


class Dispatch:
    __slots__ = ("id", "campaign", "channel", "subtype", "send_day", "send_ms", "weight",
                 "audience", "messages", "name", "created", "audience_label", "slot")


class Message:
    __slots__ = ("id", "dispatch", "name", "variant", "share", "cost_cents", "subject",
                 "content", "links", "products", "sender", "attr_start", "attr_window",
                 "created", "creative", "open_rate", "is_holdout")


def plan_campaigns(w: World):
    """Campaigns, their dispatches and messages over the horizon plus a week; sets
    w.dispatches_per_day, w.campaigns, w.dispatches, w.messages, w.dispatches_by_day and
    w.test_campaign."""
    rng = w.rng("campaigns")
    per_day = w.campaign_event_budget / w.days
    w.dispatches_per_day = max(1, min(MAX_DISPATCHES_PER_DAY,
                                         round(per_day / EVENTS_PER_DISPATCH)))
    plan_days = w.horizon + WEEKLY_EVERY
    w.campaigns: list[Campaign] = []
    w.dispatches: list[Dispatch] = []
    w.messages: list[Message] = []
    channels: list[str] = []
    active: list[Campaign] = []
    for k in range(plan_days):
        active = [c for c in active if c.end_day >= k and len(c.dispatches) < c.max_dispatches]
        for _ in range(w.dispatches_per_day):
            if not channels:
                channels = list(CHANNEL_BLOCK)
                rng.shuffle(channels)
            channel = channels.pop()
            if active and rng.random() < 0.75:
                camp = rng.choice(active)
            else:
                camp = _new_campaign(w, rng, k)
                active.append(camp)
            _new_dispatch(w, rng, camp, k, channel)
    # Audience sizes: campaign events of the window ~= campaign_event_budget.
    load = sum(d.weight * EVENTS_PER_RECIPIENT[d.channel] for d in w.dispatches
               if d.send_day < w.days)
    scale = w.campaign_event_budget / load if load else 0.0
    for d in w.dispatches:
        d.audience = max(1, int(round(scale * d.weight))) if d.channel != "paidSocial" else 0
        _price_messages(rng, d)
    w.dispatches_by_day: dict[int, list[Dispatch]] = {}
    for d in w.dispatches:
        w.dispatches_by_day.setdefault(d.send_day, []).append(d)
    # A test campaign in the first full load, deleted in the first weekly file.
    test = Campaign()
    test.id, test.name = "CMP00000", "TEST campaign - please ignore"
    test.description, test.type = "Created by mistake", "Promotional"
    test.start_day = test.end_day = 0
    test.created = w.utc_text(w.day_ms(-1) + 9 * HOUR_MS)
    test.budget, test.owner, test.dispatches, test.slot = "0.00", "CRM Team", [], 0
    test.max_dispatches = 0
    w.test_campaign = test
    if len(w.campaigns) >= 80_000 or len(w.dispatches) >= 800_000:
        raise SystemExit("too many campaigns/dispatches for the numbering scheme")


def _new_campaign(w: World, rng, k: int) -> Campaign:
    c = Campaign()
    n = len(w.campaigns) + 1
    c.id = f"CMP{n:05d}"
    theme = rng.choice(CAMPAIGN_THEMES)
    month = w.date(k).strftime("%b %Y")
    c.name = f"{theme} {month}" + (f" #{n}" if rng.random() < 0.5 else "")
    c.description = rng.choice([
        f"{theme}: drive traffic to stores and site",
        f"{theme} for {rng.choice(AUDIENCES).lower()}",
        f'"{theme}" push, all channels',
        "",
    ])
    c.type = rng.choice(CAMPAIGN_TYPES)
    c.start_day = k
    c.end_day = k + rng.randint(6, 27)
    c.max_dispatches = rng.randint(2, 8)
    c.slot = (k // WEEKLY_EVERY) * WEEKLY_EVERY
    created_ms = w.day_ms(c.slot) - rng.randint(1, 14) * DAY_MS + rng.randrange(DAY_MS)
    c.created = w.utc_text(created_ms, "Z")
    c.budget = money(rng.randint(20, 400) * 50_00) if rng.random() < 0.8 else ""
    c.owner = rng.choice(OWNERS)
    c.dispatches = []
    w.campaigns.append(c)
    return c


def _new_dispatch(w: World, rng, camp: Campaign, k: int, channel: str) -> Dispatch:
    d = Dispatch()
    d.id = f"DSP{len(w.dispatches) + 1:06d}"
    d.campaign = camp
    d.channel = channel
    d.subtype = rng.choice(SUBTYPES[channel])
    d.send_day = k
    hour = {"email": (12, 20), "sms": (15, 22), "directMail": (10, 11),
            "paidSocial": (0, 1)}[channel]
    d.send_ms = w.day_ms(k) + rng.randrange(hour[0] * HOUR_MS, hour[1] * HOUR_MS, MINUTE_MS)
    d.weight = rng.uniform(0.5, 1.5)
    d.slot = (k // WEEKLY_EVERY) * WEEKLY_EVERY
    d.name = f"{camp.name} - {channel} {w.date(k).strftime('%b %d')}"
    d.created = w.utc_text(w.day_ms(d.slot) - rng.randint(1, 5) * DAY_MS
                              + rng.randrange(DAY_MS))
    d.audience_label = rng.choice(AUDIENCES)
    # Messages: A/B variants, segments, or a direct-mail holdout.
    if channel == "email":
        layout = rng.choices([[""], ["A", "B"], SEGMENTS], [40, 45, 15])[0]
    elif channel == "sms":
        layout = rng.choices([[""], ["A", "B"]], [60, 40])[0]
    elif channel == "directMail":
        layout = rng.choice([["A", "holdout"], ["VIP", "Active", "holdout"]])
    else:
        layout = rng.choice([["A"], ["A", "B"], ["Prospecting", "Retargeting"]])
    d.messages = []
    mailed = [v for v in layout if v != "holdout"]
    for v in layout:
        m = Message()
        m.id = f"MSG{len(w.messages) + 1:07d}"
        m.dispatch = d
        m.variant = v
        m.is_holdout = v == "holdout"
        if m.is_holdout:
            m.share = DM_HOLDOUT_SHARE
        else:
            base = 1 - DM_HOLDOUT_SHARE if "holdout" in layout else 1.0
            m.share = base / len(mailed)
        m.name = f"{d.name} - {v or 'main'}"
        theme = camp.name.split(" ")[0]
        m.subject = rng.choice([f"{camp.name}: up to {rng.choice([20, 30, 40])}% off",
                                f'Your "{rng.choice(SEGMENTS)}" preview is here',
                                "Last chance, {{FirstName}}!", f"New in: {theme}",
                                ""]) if channel in ("email", "directMail") else ""
        m.content = (f"Hero: {theme}; CTA: Shop now" if not m.is_holdout
                     else "No mail piece (holdout)")
        m.products = rng.sample(w.products, 2)
        if channel == "email":
            m.links = [f"{SITE}/p/{p.id}" for p in m.products] + [f"{SITE}/sale"]
            m.sender = '"Brand" <news@brand.example>'
        elif channel == "sms":
            m.links = [f"https://brnd.example/s/{rng.getrandbits(24):06x}"]
            m.sender = "55123"
        elif channel == "directMail":
            m.links = [f"{SITE}/qr/{rng.getrandbits(24):06x}"] if not m.is_holdout else []
            m.sender = "Brand Marketing"
        else:
            m.links = [f"{SITE}/p/{m.products[0].id}"]
            m.sender = "Brand Ads"
        m.attr_start, m.attr_window = "", ""
        if not m.is_holdout and rng.random() < 0.1:
            m.attr_window = str(rng.choice([3, 10, 21]))
            m.attr_start = w.day_iso(k + rng.randint(0, 1))
        m.created = d.created
        m.creative = f"CR-{rng.randrange(100000):05d}"
        m.open_rate = EMAIL_OPEN_RATE * (1.15 if v == "B" else 1.0)
        d.messages.append(m)
        w.messages.append(m)
    camp.dispatches.append(d)
    w.dispatches.append(d)
    return d


def _price_messages(rng, d: Dispatch):
    for m in d.messages:
        if m.is_holdout:
            m.cost_cents = 0
        elif d.channel == "email":
            m.cost_cents = int(d.audience * m.share * 0.4) + 2500
        elif d.channel == "sms":
            m.cost_cents = int(d.audience * m.share * 0.79) + 500
        elif d.channel == "directMail":
            m.cost_cents = int(d.audience * m.share * 62) + 15000
        else:
            m.cost_cents = rng.randint(200, 5000) * 100 + rng.choice([0, 50])


def paid_social_messages(w: World, k: int) -> list[Message]:
    out = []
    for day in range(max(0, k - 13), k + 1):
        for d in w.dispatches_by_day.get(day, ()):
            if d.channel == "paidSocial":
                out.extend(d.messages)
    return out
