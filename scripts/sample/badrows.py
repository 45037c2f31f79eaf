"""Injected bad rows: --bad-rows K rows of every reject reason of docs/architecture.md, spread
over the entities where the reason applies, in files that always have good rows. Each has
exactly one defect and, except duplicate_row (an exact copy of an earlier good line of the
same file), a key of its own that no other row references, so a rejected row never orphans
good rows. files.write_feed places them and reports their rows: the expected rejects. A web
event with only a Cookie or SessionID is an anonymous visitor, not a reject: the
missing_identity web row has neither."""
from __future__ import annotations

from typing import TYPE_CHECKING

from .catalog import pick_org
from .clock import HOUR_MS
from .customers import make_customer
from .feeds import CUSTOMER_COLUMNS, DAILY_KINDS, FILE_KINDS
from .params import CURRENCY, SITE
from .text import join_row, money

if TYPE_CHECKING:
    from .world import World

# Reject reasons (docs/architecture.md) and the entities they are injected into.
BAD_KIND_ENTITIES = {
    "malformed_row": ["event", "customer", "transaction", "transactionitem", "campaign", "message"],
    "duplicate_row": ["event", "transactionitem", "customer", "transaction"],
    "missing_required": ["event", "transaction", "transactionitem", "customer", "campaign",
                         "dispatch", "message", "organization"],
    "missing_identity": ["event"],
    "invalid_timestamp": ["event", "transaction", "customer", "message", "campaign", "dispatch"],
    "invalid_number": ["transaction", "transactionitem", "event", "message", "dispatch"],
    "invalid_boolean": ["customer", "campaign", "dispatch", "message", "transaction"],
    "unknown_currency": ["transaction"],
    "invalid_value": ["transaction", "transactionitem", "organization"],
    "unknown_parent": ["dispatch", "message", "transactionitem"],
}
BAD_VALUES = {
    "timestamp": ["2026-02-30", "31/31/2025 10:00", "not a date", "2026-10-01T25:61:00"],
    "epoch": ["yesterday", "17x9000000000", "2026-10-01 25:61:00"],
    "number": ["12.3.4", "ten", "1O.5"],
    "boolean": ["maybe", "deleted", "2"],
    "currency": ["XYZ", "EURO", "DOL"],
    "txn_type": ["Exchange", "Layaway", "Gift"],
    "item_type": ["Backordered", "Shipped"],
    "org_type": ["warehouse", "outlet"],
}
# Files that always have good rows: the only targets of injected bad rows.
BAD_ROW_TARGETS = {
    "event": ["web_event", "custom_event"],
    "customer": ["customer_full", "customer_daily", "customer_weekly"],
    "transaction": ["pos_transaction", "ecom_transaction"],
    "transactionitem": ["pos_transactionitem", "ecom_transactionitem"],
    "campaign": ["campaign"], "dispatch": ["dispatch"], "message": ["message"],
    "organization": ["organization"],
}
DUPLICATE_TARGETS = {"web_event", "customer_full", "customer_daily", "pos_transaction",
                     "pos_transactionitem"}


def plan_bad_rows(w: World) -> dict[tuple[str, int], list[tuple[str, str, int]]]:
    """Pick, for every reject reason, K target files (delivered within the window):
    (file kind, delivery day) -> [(reason, entity, serial)]."""
    rng = w.rng("bad-rows")
    slots = {
        "organization": [0], "customer_full": [0],
        "campaign": w.weekly_slots(), "dispatch": w.weekly_slots(),
        "message": w.weekly_slots(),
        "customer_weekly": [s for s in w.weekly_slots() if s > 0],
    }
    for kind in DAILY_KINDS:
        slots[kind] = list(range(1, w.days + 1))
    plan: dict[tuple[str, int], list[tuple[str, str, int]]] = {}
    serial = 0
    for reason, entities in BAD_KIND_ENTITIES.items():
        ents = list(entities)
        rng.shuffle(ents)
        for j in range(w.bad_rows):
            entity = ents[j % len(ents)]
            kinds = [kd for kd in BAD_ROW_TARGETS[entity] if slots.get(kd)]
            if reason == "duplicate_row":
                kinds = [kd for kd in kinds if kd in DUPLICATE_TARGETS]
            kind = rng.choice(kinds)
            s = rng.choice(slots[kind])
            serial += 1
            plan.setdefault((kind, s), []).append((reason, entity, serial))
    return plan


def bad_row(w: World, kind: str, s: int, reason: str, serial: int, header: list[str],
            context: dict) -> str:
    """One injected bad line for a file: a plausible row with exactly one defect and, where
    it has a key, a key of its own that nothing else references."""
    rng = w.rng("bad-row", kind, s, serial)
    entity = FILE_KINDS[kind][1]
    delim = FILE_KINDS[kind][2]
    k = max(0, s - 1)
    ts_ms = w.day_ms(k) + rng.randrange(8 * HOUR_MS, 20 * HOUR_MS)
    cust = rng.randrange(w.n_known(k))
    p = w.products[rng.randrange(len(w.products))]
    camp = next(c for c in w.campaigns if c.slot <= s)
    disp = next(d for d in w.dispatches if d.slot <= s)
    row: dict[str, str] = {}
    if entity == "event":
        if kind == "web_event":
            row = {"EventTimeStamp": str(ts_ms), "Type": "productBrowsed",
                   "SourceCustomerNumber": w.cnum(cust), "Cookie": w.cookie(cust),
                   "SessionID": f"{rng.getrandbits(48):012x}", "URL": f"{SITE}/p/{p.id}",
                   "SourceProductNumber": p.id, "DeviceType": "desktop"}
            number_field = ("Type", "cartUpdated", "Value")
        else:
            row = {"Type": "storeVisit", "EventTimeStamp": str(ts_ms),
                   "SourceCustomerNumber": w.cnum(cust), "StoreNumber": "ST001"}
            number_field = ("Type", "surveyFilled", "Value")
        if reason == "missing_required":
            row["Type"] = ""
        elif reason == "missing_identity":  # a web event without cookie and session, too
            row["SourceCustomerNumber"] = row["Cookie"] = row["SessionID"] = ""
        elif reason == "invalid_timestamp":
            row["EventTimeStamp"] = rng.choice(BAD_VALUES["epoch"])
        elif reason == "invalid_number":
            row[number_field[0]] = number_field[1]
            row[number_field[2]] = rng.choice(BAD_VALUES["number"])
    elif entity == "customer":
        rec = make_customer(w, cust)
        rec[0] = f"C{10 ** w.cust_width - 1 - serial}"
        row = dict(zip(CUSTOMER_COLUMNS, rec))
        row["DeleteFlag"] = ""
        if "LoyaltyTier" in header:
            row["LoyaltyTier"] = "Silver"
        if reason == "missing_required":
            row["SourceCustomerNumber"] = ""
        elif reason == "invalid_timestamp":
            row["BirthDate"] = rng.choice(BAD_VALUES["timestamp"])
        elif reason == "invalid_boolean":
            row["DeleteFlag"] = rng.choice(BAD_VALUES["boolean"])
    elif entity == "transaction":
        channel = "pos" if kind.startswith("pos") else "ecom"
        org = pick_org(w, rng, cust, channel)
        row = {"SourceTransactionNumber": f"T{w.ymd(k)}99{serial:04d}",
               "SourceCustomerNumber": w.cnum(cust), "SourceOrganizationNumber": org.id,
               "TransactionTimeStamp": w.utc_text(ts_ms, "Z"), "Type": "Purchase",
               "Total": money(p.price), "Currency": CURRENCY[org.country], "Discount": "",
               "Tax": "0.00", "RegisterId": "R01", "Device": "web"}
        if reason == "missing_required":
            row["SourceOrganizationNumber"] = ""
        elif reason == "invalid_timestamp":
            row["TransactionTimeStamp"] = rng.choice(BAD_VALUES["timestamp"])
        elif reason == "invalid_number":
            row["Total"] = rng.choice(BAD_VALUES["number"])
        elif reason == "invalid_boolean":
            row["DeleteFlag"] = rng.choice(BAD_VALUES["boolean"])
        elif reason == "unknown_currency":
            row["Currency"] = rng.choice(BAD_VALUES["currency"])
        elif reason == "invalid_value":
            row["Type"] = rng.choice(BAD_VALUES["txn_type"])
    elif entity == "transactionitem":
        parent = context["parent_transaction"]
        row = {"SourceTransactionItemNumber": f"{parent}-9{serial:04d}",
               "SourceTransactionNumber": parent, "SourceProductNumber": p.id,
               "ProductName": p.name, "ProductCategory": p.category, "Quantity": "1",
               "SaleRevenue": money(p.price), "Type": "Demand"}
        if reason == "missing_required":
            row["SourceProductNumber"] = ""
        elif reason == "invalid_number":
            row["Quantity"] = rng.choice(["two", "1.2.3"])
        elif reason == "invalid_value":
            row["Type"] = rng.choice(BAD_VALUES["item_type"])
        elif reason == "unknown_parent":
            row["SourceTransactionNumber"] = f"T{w.ymd(k)}98{serial:04d}"
    elif entity == "campaign":
        row = {"SourceCampaignNumber": f"CMP9{serial:04d}", "Name": "Spring Preview",
               "Description": "Draft", "Type": "Seasonal", "StartDate": w.day_iso(s + 3),
               "EndDate": w.day_iso(s + 20), "DateCreated": w.utc_text(ts_ms, "Z"),
               "Budget": "1000.00", "Owner": "CRM Team"}
        if reason == "missing_required":
            row["Name"] = ""
        elif reason == "invalid_timestamp":
            row["StartDate"] = rng.choice(BAD_VALUES["timestamp"])
        elif reason == "invalid_boolean":
            row["DeleteFlag"] = rng.choice(BAD_VALUES["boolean"])
    elif entity == "dispatch":
        row = {"SourceDispatchNumber": f"DSP9{serial:05d}", "SourceCampaignNumber": camp.id,
               "Name": f"{camp.name} - email resend", "Type": "email", "SubType": "promotional",
               "DateCreated": w.utc_text(ts_ms), "AttributionStartDate": w.day_iso(s + 2),
               "AttributionWindow": "7", "Audience": "All subscribers"}
        if reason == "missing_required":
            row["Name"] = ""
        elif reason == "invalid_timestamp":
            row["AttributionStartDate"] = rng.choice(BAD_VALUES["timestamp"])
        elif reason == "invalid_number":
            row["AttributionWindow"] = rng.choice(["seven", "7.5.1"])
        elif reason == "invalid_boolean":
            row["DeleteFlag"] = rng.choice(BAD_VALUES["boolean"])
        elif reason == "unknown_parent":
            row["SourceCampaignNumber"] = f"CMP8{serial:04d}"
    elif entity == "message":
        row = {"SourceMessageNumber": f"MSG9{serial:06d}", "SourceDispatchNumber": disp.id,
               "Name": f"{disp.name} - C", "Subject": "Draft subject",
               "SendDate": w.utc_text(ts_ms, "Z"), "Variant": "C", "Cost": "100.00",
               "DateCreated": w.utc_text(ts_ms)}
        if reason == "missing_required":
            row["Name"] = ""
        elif reason == "invalid_timestamp":
            row["SendDate"] = rng.choice(BAD_VALUES["timestamp"])
        elif reason == "invalid_number":
            row["Cost"] = rng.choice(BAD_VALUES["number"])
        elif reason == "invalid_boolean":
            row["DeleteFlag"] = rng.choice(BAD_VALUES["boolean"])
        elif reason == "unknown_parent":
            row["SourceDispatchNumber"] = f"DSP8{serial:05d}"
    elif entity == "organization":
        row = {"SourceOrganizationNumber": f"ST9{serial:02d}", "Name": "Brand Pop-up",
               "Type": "store", "Country": "US", "State": "NY", "City": "New York",
               "TimeZone": "America/New_York"}
        if reason == "missing_required":
            row["Name"] = ""
        elif reason == "invalid_value":
            row["Type"] = rng.choice(BAD_VALUES["org_type"])
    line = join_row([row.get(col, "") for col in header], delim)
    if reason == "malformed_row":  # one field too many (e.g. an unquoted delimiter)
        line += delim + rng.choice(["Jr.", "extra", "N/A"])
    return line
