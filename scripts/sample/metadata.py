"""The campaign, dispatch and message files: the first full load and the weekly change files
(the dispatches that send in the next 7 days with their campaigns and messages, campaign
updates, final direct-mail costs, the test campaign's delete), so that campaign metadata
always lands before the events that reference it."""
from __future__ import annotations

from typing import TYPE_CHECKING

from .feeds import CAMPAIGN_COLUMNS, DISPATCH_COLUMNS, MESSAGE_COLUMNS
from .params import ATTRIBUTION_WINDOW, WEEKLY_EVERY
from .text import join_row, money

if TYPE_CHECKING:
    from .campaigns import Campaign, Dispatch, Message
    from .world import World


def _campaign_row(w: World, c: Campaign, end_day: int | None = None, delete: str = "",
                  description: str | None = None, budget: str | None = None) -> dict:
    end = c.end_day if end_day is None else end_day
    return {"SourceCampaignNumber": c.id, "Name": c.name,
            "Description": c.description if description is None else description,
            "Type": c.type, "StartDate": w.day_iso(c.start_day), "EndDate": w.day_iso(end),
            "DateCreated": c.created, "DeleteFlag": delete,
            "Budget": c.budget if budget is None else budget, "Owner": c.owner}


def _dispatch_row(w: World, d: Dispatch) -> dict:
    return {"SourceDispatchNumber": d.id, "SourceCampaignNumber": d.campaign.id, "Name": d.name,
            "Type": d.channel, "SubType": d.subtype, "DateCreated": d.created,
            "AttributionStartDate": w.day_iso(d.send_day),
            "AttributionWindow": str(ATTRIBUTION_WINDOW[d.channel]), "DeleteFlag": "",
            "Audience": d.audience_label}


def _message_row(w: World, m: Message, cost_cents: int | None = None) -> dict:
    d = m.dispatch
    return {"SourceMessageNumber": m.id, "SourceDispatchNumber": d.id, "Name": m.name,
            "Subject": m.subject, "Content": m.content,
            "SendDate": w.utc_text(d.send_ms, "Z"), "MessageFrom": m.sender,
            "Links": ",".join(m.links), "Variant": m.variant,
            "Cost": money(m.cost_cents if cost_cents is None else cost_cents),
            "AttributionStartDate": m.attr_start, "AttributionWindow": m.attr_window,
            "DateCreated": m.created, "DeleteFlag": "", "CreativeId": m.creative}


def _rows_to_lines(rows: list[dict], header: list[str], delim: str = ",") -> list[str]:
    return [join_row([r.get(col, "") for col in header], delim) for r in rows]


def campaign_metadata(w: World, s: int) -> dict[str, tuple[list[str], list[str]]]:
    """Campaign, dispatch and message files of slot s (0 = full load, else weekly):
    dispatches sending in [s, s+6] with their campaigns and messages, plus updates."""
    rng = w.rng("campaign-metadata", s)
    dispatches = [d for k in range(s, s + WEEKLY_EVERY) for d in w.dispatches_by_day.get(k, ())]
    camp_rows = [_campaign_row(w, c) for c in w.campaigns if c.slot == s]
    if s == 0:
        camp_rows.insert(0, _campaign_row(w, w.test_campaign))
    else:
        if s == WEEKLY_EVERY:  # the test campaign is deleted
            camp_rows.append(_campaign_row(w, w.test_campaign, delete="Y"))
        running = [c for c in w.campaigns if c.slot < s <= c.end_day + WEEKLY_EVERY]
        for c in rng.sample(running, min(len(running), max(1, len(running) // 10))):
            if rng.random() < 0.5:
                camp_rows.append(_campaign_row(w, c, end_day=c.end_day + 7,
                                               description=f"{c.description} (extended)".strip()))
            else:  # Budget left empty: the earlier value must survive
                camp_rows.append(_campaign_row(w, c, budget=""))
    disp_rows = [_dispatch_row(w, d) for d in dispatches]
    msg_rows = [_message_row(w, m) for d in dispatches for m in d.messages]
    if s > 0:  # final invoiced cost of last week's mailed direct-mail messages
        for k in range(s - WEEKLY_EVERY, s):
            for d in w.dispatches_by_day.get(k, ()):
                if d.channel == "directMail":
                    for m in d.messages:
                        if not m.is_holdout:
                            final = int(m.cost_cents * rng.uniform(0.95, 1.05))
                            msg_rows.append(_message_row(w, m, cost_cents=final))
    camp_header = CAMPAIGN_COLUMNS if s == 0 else [c for c in CAMPAIGN_COLUMNS if c != "Owner"]
    return {
        "campaign": (_rows_to_lines(camp_rows, camp_header), camp_header),
        "dispatch": (_rows_to_lines(disp_rows, DISPATCH_COLUMNS), DISPATCH_COLUMNS),
        "message": (_rows_to_lines(msg_rows, MESSAGE_COLUMNS), MESSAGE_COLUMNS),
    }
