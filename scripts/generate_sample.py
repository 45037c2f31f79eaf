#!/usr/bin/env python3
"""Generate a deterministic sample of closedloop's raw landing feeds.

Usage (see ``--help``)::

    python scripts/generate_sample.py --out target/sample/landing --as-of 2026-11-01

Standard library only. The same arguments always give byte-identical files.

World model
-----------
Timeline
    ``--as-of A`` and ``--days D`` define the window of *data days* ``[A-D, A-1]``. The first
    day ``F = A-D`` gets the first full loads (organization, customer, campaign, dispatch,
    message), stamped ``F 05:00:00``. The data of day ``d`` is delivered in files stamped
    ``d+1 06:00:00`` (events, transactions, transaction items, new customers). On every 7th
    delivery day (``F+7``, ``F+14``, ...) weekly change files arrive too: campaign, dispatch and
    message at ``05:00:00`` (the metadata of the dispatches that send in the next 7 days, plus
    campaign updates, final message costs and a campaign delete) and a customer file at
    ``07:00:00`` (updates, deletes, attributes left empty, and from the second weekly file on a
    new custom column ``LoyaltyTier``). Campaign metadata therefore always lands before the
    events that reference it. The world goes on for ``EXTENSION_DAYS`` after ``A`` so that
    ``--only-day`` can add the next days on top of a full sample (``A+1`` holds the data of
    ``A``, and so on).

Customers
    ``C0000001`` ... Most exist at ``F`` (full load); about 10 % are created during the window
    (a fixed number per day, delivered in the ``crm_customer`` file of the next morning).
    Country, e-mail / mobile presence and the Preferences flags (DNE, DNC, DNS) are drawn once
    for all customers into compact arrays; everything else of customer ``i`` is a pure function
    of ``(seed, i)`` (:func:`make_customer`), so any file can rebuild any customer. Identifiers
    are deliberately messy: upper-case e-mails, surrounding spaces/tabs/NBSP, gmail and
    googlemail addresses with dots and +tags, national and international phone formats, state
    codes or names, ZIP+4 and UK postcodes, lower-case country codes.

Campaigns
    A fixed number of dispatches per day (scaled so that one dispatch yields about
    ``EVENTS_PER_DISPATCH`` events) is spread over campaigns that run 1-4 weeks. A dispatch is one
    send on one date and channel (email, sms, directMail, paidSocial) and has 1-3 messages:
    A/B variants or segments; a direct-mail dispatch also has a ``holdout`` message (Cost 0)
    whose recipients get no mail piece but a ``directMailSend`` event tied to that message,
    meaning "assigned to the holdout". Audience sizes are scaled so that campaign events make
    up ``1 - WEB_SHARE - CUSTOM_SHARE - SUBSCRIPTION_SHARE`` of ``--events``.

Events (epoch milliseconds, UTC; file of the UTC day)
    Campaign events per recipient follow a funnel (send -> bounce | open -> click -> landing
    page view, unsubscribe; sms send -> deliver -> click; direct-mail send) within
    ``EVENT_LOOKBACK_DAYS`` of the send. About 5 % carry only the customer's e-mail (messy
    case / whitespace). The ESP re-sends a few of yesterday's events in today's file
    (identical content, a later file: not a reject). Web sessions (TAB file) fill the web quota,
    among them a checkout session for most e-commerce orders (with SourceTransactionNumber and
    Value) and paid-social landings carrying a paid-social message number. A ``event_`` file
    without source prefix carries custom types (storeVisit, marketingCall, surveyFilled,
    warrantySignup).

Transactions
    POS transactions belong to the store's local business day, e-commerce orders to the UTC
    day. TransactionTimeStamp is written with an offset, with ``Z`` or without offset (UTC).
    Customers who received a campaign message in the last ``UPLIFT_WINDOW_DAYS`` days are
    over-represented among buyers (about ``1 + UPLIFT`` times), holdout recipients are not, so
    attribution and holdout lift find a signal. Total = sum(Demand line SaleRevenue) - Discount
    + Tax; returns have negative amounts and ``Returned`` lines; corrections arrive the next
    day as extra ``Canceled`` lines with negative Quantity / SaleRevenue.

Bad rows
    ``--bad-rows K`` rows of every reject reason of docs/architecture.md are injected into
    files that have good rows, spread over the entities where the reason applies. Each has
    exactly one defect and, except ``duplicate_row`` (an exact copy of an earlier good line of
    the same file), a key of its own that no other row references, so a rejected row never
    orphans good rows. They are listed in ``<out>/../expected_rejects.csv``; row counts per
    file are in ``<out>/../generator_summary.json``.

Determinism
    Every random decision comes from ``random.Random`` seeded with a string built from
    ``--seed`` and the decision's scope (e.g. ``"7/web/12"``), never from global state, time or
    ``hash()``. Each day, dispatch and customer can thus be generated on its own, in any order
    or process (``--jobs``), with identical output.
"""
from __future__ import annotations

import argparse
import bisect
import datetime as dt
import functools
import hashlib
import json
import multiprocessing
import os
import random
import sys
import time
import unicodedata
from pathlib import Path

# --------------------------------------------------------------------------------------
# Constants
# --------------------------------------------------------------------------------------
GENERATOR_VERSION = 1
DAY_MS = 86_400_000
HOUR_MS = 3_600_000
MINUTE_MS = 60_000
EPOCH = dt.date(1970, 1, 1)
EXTENSION_DAYS = 28          # --only-day may go this far beyond --as-of
WEEKLY_EVERY = 7             # weekly change files every N delivery days
STAMP_FILE = ".generator.json"
REJECTS_FILE = "expected_rejects.csv"
SUMMARY_FILE = "generator_summary.json"

# Event mix (shares of --events); campaign events make up the rest.
WEB_SHARE = 0.50
CUSTOM_SHARE = 0.03
SUBSCRIPTION_SHARE = 0.02
EVENTS_PER_DISPATCH = 1800   # sets the number of dispatches per day
MAX_DISPATCHES_PER_DAY = 60
EVENT_LOOKBACK_DAYS = 5      # campaign events land within this many days after the send
CHANNEL_BLOCK = ["email"] * 11 + ["sms"] * 4 + ["directMail"] * 2 + ["paidSocial"] * 3
SUBTYPES = {
    "email": ["newsletter", "promotional", "triggered"],
    "sms": ["promotional", "triggered"],
    "directMail": ["postcard", "catalog"],
    "paidSocial": ["facebook", "instagram"],
}
ATTRIBUTION_WINDOW = {"email": 7, "sms": 3, "directMail": 30, "paidSocial": 14}

# Email / sms funnels.
EMAIL_BOUNCE_RATE = 0.015
EMAIL_HARD_BOUNCE_SHARE = 0.3
EMAIL_OPEN_RATE = 0.22
EMAIL_REOPEN_RATE = 0.3
EMAIL_CLICK_RATE = 0.18      # of openers
EMAIL_UNSUB_RATE = 0.01      # of openers
EMAIL_OPEN_DELAY_MS = 6 * HOUR_MS
EMAIL_ONLY_IDENTITY = 0.05   # campaign events carrying only the e-mail address
SMS_DELIVER_RATE = 0.97
SMS_CLICK_RATE = 0.06
SMS_STOP_RATE = 0.005
DM_HOLDOUT_SHARE = 0.10
RESEND_RATE = 0.003          # ESP re-sends this share of yesterday's events
EVENTS_PER_RECIPIENT = {     # expected campaign events per recipient (sizes audiences)
    "email": 1 + EMAIL_BOUNCE_RATE + (1 - EMAIL_BOUNCE_RATE) * EMAIL_OPEN_RATE
    * (1 + EMAIL_REOPEN_RATE + 2 * EMAIL_CLICK_RATE + EMAIL_UNSUB_RATE),
    "sms": 1 + SMS_DELIVER_RATE * (1 + SMS_CLICK_RATE) + SMS_STOP_RATE,
    "directMail": 1.0,
    "paidSocial": 0.0,
}
PAID_SOCIAL_SESSION_SHARE = 0.04

# Transactions.
ECOM_SHARE = 0.35
RETURN_SHARE = 0.06
UPLIFT = 0.6                 # recent (non-holdout) recipients buy ~1.6x as often
UPLIFT_WINDOW_DAYS = 7
CORRECTION_RATE = 0.01
CANCELED_LINE_RATE = 0.03
CHECKOUT_EVENT_SHARE = 0.85
TAX_RATE = {"US": 0.07, "CA": 0.13, "GB": 0.20, "FR": 0.20, "DE": 0.19}
CURRENCY = {"US": "USD", "CA": "CAD", "GB": "GBP", "FR": "EUR", "DE": "EUR"}

# Day-of-week weights (Monday first).
EVENT_WEEKDAY = [1.0, 1.0, 1.0, 1.0, 1.05, 1.1, 0.95]
TXN_WEEKDAY = [0.9, 0.9, 0.95, 1.0, 1.1, 1.3, 1.2]

# Customers.
NEW_CUSTOMER_SHARE = 0.10    # created during the window
COUNTRIES = ["US", "CA", "GB", "FR", "DE"]
COUNTRY_CUM = [0.80, 0.86, 0.92, 0.96, 1.0]
HAS_EMAIL, HAS_MOBILE, DNE, DNC, DNS, PREF_EMPTY, PREF_UNKNOWN = 1, 2, 4, 8, 16, 32, 64

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

# --------------------------------------------------------------------------------------
# Files: kind -> (source prefix, entity, delimiter, line end, columns)
# --------------------------------------------------------------------------------------
CUSTOMER_COLUMNS = ["SourceCustomerNumber", "FirstName", "LastName", "Email", "MobilePhone",
                    "PrimaryPhone", "Address1", "City", "State", "ZipCode", "Country",
                    "BirthDate", "Gender", "Preferences", "DateCreated", "DateModified",
                    "DeleteFlag"]
CAMPAIGN_COLUMNS = ["SourceCampaignNumber", "Name", "Description", "Type", "StartDate",
                    "EndDate", "DateCreated", "DeleteFlag", "Budget", "Owner"]
DISPATCH_COLUMNS = ["SourceDispatchNumber", "SourceCampaignNumber", "Name", "Type", "SubType",
                    "DateCreated", "AttributionStartDate", "AttributionWindow", "DeleteFlag",
                    "Audience"]
MESSAGE_COLUMNS = ["SourceMessageNumber", "SourceDispatchNumber", "Name", "Subject", "Content",
                   "SendDate", "MessageFrom", "Links", "Variant", "Cost",
                   "AttributionStartDate", "AttributionWindow", "DateCreated", "DeleteFlag",
                   "CreativeId"]
ORGANIZATION_COLUMNS = ["SourceOrganizationNumber", "Name", "Type", "Country", "State", "City",
                        "TimeZone", "OpenedDate"]
ESP_COLUMNS = ["Type", "EventTimeStamp", "SourceCustomerNumber", "Email", "Subtype",
               "SourceMessageNumber", "URL"]
SMS_COLUMNS = ["EventTimeStamp", "Type", "SourceCustomerNumber", "SourceMessageNumber", "URL"]
DM_COLUMNS = ["SourceCustomerNumber", "SourceMessageNumber", "Type", "EventTimeStamp"]
WEB_COLUMNS = ["EventTimeStamp", "Type", "SourceCustomerNumber", "Email", "Cookie", "SessionID",
               "URL", "SourceProductNumber", "SourceTransactionNumber", "Value",
               "SourceMessageNumber", "DeviceType"]
CUSTOM_EVENT_COLUMNS = ["Type", "Subtype", "EventTimeStamp", "SourceCustomerNumber", "Email",
                        "Value", "SourceProductNumber", "StoreNumber", "AgentId"]
POS_TXN_COLUMNS = ["SourceTransactionNumber", "SourceCustomerNumber", "SourceOrganizationNumber",
                   "TransactionTimeStamp", "Type", "Total", "Currency", "Discount", "Tax",
                   "DeleteFlag", "RegisterId"]
ECOM_TXN_COLUMNS = ["SourceTransactionNumber", "TransactionTimeStamp", "SourceCustomerNumber",
                    "SourceOrganizationNumber", "Type", "Currency", "Total", "Discount", "Tax",
                    "DeleteFlag", "Device"]
POS_ITEM_COLUMNS = ["SourceTransactionItemNumber", "SourceTransactionNumber",
                    "SourceProductNumber", "ProductName", "ProductCategory", "Quantity",
                    "SaleRevenue", "Type"]
ECOM_ITEM_COLUMNS = ["SourceTransactionNumber", "SourceTransactionItemNumber",
                     "SourceProductNumber", "Quantity", "SaleRevenue", "Type", "ProductName",
                     "ProductCategory"]

FILE_KINDS = {
    # initial full loads (delivery day 0, 05:00:00)
    "organization": ("", "organization", ",", "\n", ORGANIZATION_COLUMNS),
    "customer_full": ("", "customer", ",", "\r\n", CUSTOMER_COLUMNS),
    # campaign metadata (day 0 and weekly, 05:00:00); weekly campaign files lack "Owner"
    "campaign": ("", "campaign", ",", "\n", CAMPAIGN_COLUMNS),
    "dispatch": ("", "dispatch", ",", "\n", DISPATCH_COLUMNS),
    "message": ("", "message", ",", "\r\n", MESSAGE_COLUMNS),
    # weekly customer changes (07:00:00); "LoyaltyTier" from the second weekly file on
    "customer_weekly": ("", "customer", ",", "\n", CUSTOMER_COLUMNS),
    # daily files (06:00:00)
    "customer_daily": ("crm_", "customer", ",", "\n", CUSTOMER_COLUMNS),
    "esp_event": ("esp_", "event", ",", "\n", ESP_COLUMNS),
    "sms_event": ("sms_", "event", ",", "\r\n", SMS_COLUMNS),
    "dm_event": ("dm_", "event", ",", "\n", DM_COLUMNS),
    "web_event": ("web_", "event", "\t", "\n", WEB_COLUMNS),
    "custom_event": ("", "event", ",", "\r\n", CUSTOM_EVENT_COLUMNS),
    "pos_transaction": ("pos_", "transaction", ",", "\r\n", POS_TXN_COLUMNS),
    "ecom_transaction": ("ecom_", "transaction", ",", "\n", ECOM_TXN_COLUMNS),
    "pos_transactionitem": ("pos_", "transactionitem", "|", "\r\n", POS_ITEM_COLUMNS),
    "ecom_transactionitem": ("ecom_", "transactionitem", ",", "\n", ECOM_ITEM_COLUMNS),
}
INITIAL_KINDS = ["organization", "customer_full", "campaign", "dispatch", "message"]
WEEKLY_KINDS = ["campaign", "dispatch", "message", "customer_weekly"]
DAILY_KINDS = ["customer_daily", "esp_event", "sms_event", "dm_event", "web_event",
               "custom_event", "pos_transaction", "ecom_transaction", "pos_transactionitem",
               "ecom_transactionitem"]
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

# --------------------------------------------------------------------------------------
# Reference data
# --------------------------------------------------------------------------------------
# (city, state code, state name, zip/postcode stem, area codes, time zone)
LOCATIONS = {
    "US": [("New York", "NY", "New York", "100", ["212", "646", "917"], "America/New_York"),
           ("Brooklyn", "NY", "New York", "112", ["718", "347"], "America/New_York"),
           ("Boston", "MA", "Massachusetts", "021", ["617", "857"], "America/New_York"),
           ("Philadelphia", "PA", "Pennsylvania", "191", ["215", "267"], "America/New_York"),
           ("Miami", "FL", "Florida", "331", ["305", "786"], "America/New_York"),
           ("Atlanta", "GA", "Georgia", "303", ["404", "678"], "America/New_York"),
           ("Chicago", "IL", "Illinois", "606", ["312", "773"], "America/Chicago"),
           ("Dallas", "TX", "Texas", "752", ["214", "469"], "America/Chicago"),
           ("Houston", "TX", "Texas", "770", ["713", "832"], "America/Chicago"),
           ("Minneapolis", "MN", "Minnesota", "554", ["612", "651"], "America/Chicago"),
           ("Denver", "CO", "Colorado", "802", ["303", "720"], "America/Denver"),
           ("Salt Lake City", "UT", "Utah", "841", ["801", "385"], "America/Denver"),
           ("Los Angeles", "CA", "California", "900", ["213", "310"], "America/Los_Angeles"),
           ("San Francisco", "CA", "California", "941", ["415", "628"], "America/Los_Angeles"),
           ("San Diego", "CA", "California", "921", ["619", "858"], "America/Los_Angeles"),
           ("Seattle", "WA", "Washington", "981", ["206", "425"], "America/Los_Angeles"),
           ("Portland", "OR", "Oregon", "972", ["503", "971"], "America/Los_Angeles")],
    "CA": [("Toronto", "ON", "Ontario", "M5V", ["416", "647"], "America/Toronto"),
           ("Ottawa", "ON", "Ontario", "K1P", ["613", "343"], "America/Toronto"),
           ("Montreal", "QC", "Quebec", "H2X", ["514", "438"], "America/Toronto")],
    "GB": [("London", "", "England", "SW1A", ["20"], "Europe/London"),
           ("Manchester", "", "England", "M1", ["161"], "Europe/London"),
           ("Edinburgh", "", "Scotland", "EH1", ["131"], "Europe/London")],
    "FR": [("Paris", "", "Ile-de-France", "750", ["1"], "Europe/Paris"),
           ("Lyon", "", "Auvergne-Rhone-Alpes", "690", ["4"], "Europe/Paris"),
           ("Lille", "", "Hauts-de-France", "590", ["3"], "Europe/Paris")],
    "DE": [("Berlin", "BE", "Berlin", "101", ["30"], "Europe/Berlin"),
           ("Munich", "BY", "Bayern", "803", ["89"], "Europe/Berlin"),
           ("Hamburg", "HH", "Hamburg", "200", ["40"], "Europe/Berlin")],
}
# (number, name, city index in LOCATIONS[country])
STORES = {
    "US": [(0, "Manhattan Flagship"), (0, "SoHo"), (0, "Upper West Side"), (1, "Williamsburg"),
           (2, "Back Bay"), (3, "Rittenhouse"), (4, "Brickell"), (5, "Midtown Atlanta"),
           (6, "Michigan Avenue"), (6, "Wicker Park"), (7, "Uptown Dallas"),
           (8, "Galleria Houston"), (9, "North Loop"), (10, "Cherry Creek"), (10, "LoDo"),
           (11, "Sugar House"), (12, "Santa Monica"), (12, "Silver Lake"),
           (13, "Union Square"), (14, "Gaslamp"), (15, "Capitol Hill"), (16, "Pearl District")],
    "CA": [(0, "Queen Street West"), (0, "Yorkdale"), (2, "Plateau Mont-Royal")],
    "GB": [(0, "Covent Garden"), (0, "Shoreditch"), (1, "Northern Quarter")],
    "FR": [(0, "Le Marais"), (1, "Presqu'ile")],
    "DE": [(0, "Mitte"), (1, "Maxvorstadt")],
}
TZ_RULES = {  # standard offset (minutes), DST rule
    "America/New_York": (-300, "us"), "America/Chicago": (-360, "us"),
    "America/Denver": (-420, "us"), "America/Los_Angeles": (-480, "us"),
    "America/Toronto": (-300, "us"), "Europe/London": (0, "eu"),
    "Europe/Paris": (60, "eu"), "Europe/Berlin": (60, "eu"),
}
FIRST_NAMES = {  # country -> (female, male)
    "US": (["Mary", "Patricia", "Jennifer", "Linda", "Elizabeth", "Barbara", "Susan", "Jessica",
            "Sarah", "Karen", "Nancy", "Lisa", "Betty", "Sandra", "Ashley", "Kimberly", "Emily",
            "Donna", "Priya", "Michelle", "Maria", "Sofia"],
           ["James", "Robert", "John", "Michael", "David", "William", "Richard", "Joseph",
            "Thomas", "Carlos", "Daniel", "Matthew", "Anthony", "Mark", "Wei", "Jose", "Kevin",
            "Brian", "Jamal", "Aiden"]),
    "CA": (["Olivia", "Emma", "Charlotte", "Amelia", "Chloe", "Sophie", "Camille", "Zoe"],
           ["Liam", "Noah", "Jacob", "Ethan", "Mathieu", "Lucas", "Benjamin", "Owen"]),
    "GB": (["Amelia", "Isla", "Ava", "Mia", "Ivy", "Freya", "Lily", "Grace", "Siobhan"],
           ["Oliver", "George", "Harry", "Jack", "Charlie", "Alfie", "Arthur", "Muhammad",
            "Rhys"]),
    "FR": (["Louise", "Jade", "Ambre", "Alice", "Chloe", "Lea", "Zoé", "Hélène", "Anaïs"],
           ["Gabriel", "Raphael", "Leo", "Louis", "Jules", "Hugo", "Benoît", "François",
            "Jérôme"]),
    "DE": (["Emilia", "Sophia", "Hannah", "Mia", "Lena", "Marie", "Anna", "Greta", "Käthe"],
           ["Noah", "Matteo", "Elias", "Finn", "Jürgen", "Lukas", "Felix", "Jörg",
            "Maximilian"]),
}
LAST_NAMES = {
    "US": ["Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis",
           "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson",
           "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White",
           "Harris", "Clark", "O'Brien", "Nguyen", "Kim", "Patel", "Chen", "Washington",
           "Van der Berg", "McDonald", "Rivera", "Cooper"],
    "CA": ["Tremblay", "Gagnon", "Roy", "Côté", "Bouchard", "Gauthier", "Morin", "Lavoie",
           "Fortin", "Smith", "Brown", "Wilson", "MacDonald", "Campbell", "Singh", "Li"],
    "GB": ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies",
           "Patel", "Wright", "Evans", "Thomas", "O'Neill", "Khan", "Walker", "Roberts",
           "Hughes", "Ahmed"],
    "FR": ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand",
           "Leroy", "Moreau", "Simon", "Laurent", "Lefèvre", "Girard", "Mercier", "Dupont"],
    "DE": ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
           "Schulz", "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf"],
}
STREETS = {
    "US": ["Main St", "Oak Ave", "Maple Dr", "Broadway", "Park Ave", "2nd St", "Elm St",
           "Lakeview Rd", "Sunset Blvd", "Cedar Ln", "Washington St", "Pine St"],
    "CA": ["Queen St W", "King St E", "Rue Saint-Denis", "Yonge St", "Bank St", "Bloor St W"],
    "GB": ["High Street", "Station Road", "Church Lane", "Victoria Road", "Mill Lane",
           "Kings Road"],
    "FR": ["rue de Rivoli", "avenue Victor Hugo", "rue de la Paix", "boulevard Voltaire",
           "rue Nationale"],
    "DE": ["Hauptstraße", "Bahnhofstraße", "Gartenstraße", "Schillerstraße", "Lindenallee"],
}
EMAIL_DOMAINS = {
    "US": (["gmail.com", "yahoo.com", "outlook.com", "icloud.com", "hotmail.com", "aol.com",
            "comcast.net"], [35, 15, 12, 10, 8, 3, 4]),
    "CA": (["gmail.com", "hotmail.ca", "yahoo.ca", "outlook.com", "videotron.ca"],
           [40, 15, 10, 10, 5]),
    "GB": (["gmail.com", "hotmail.co.uk", "yahoo.co.uk", "btinternet.com", "outlook.com"],
           [35, 15, 10, 10, 10]),
    "FR": (["gmail.com", "orange.fr", "free.fr", "laposte.net", "hotmail.fr"],
           [35, 20, 15, 10, 10]),
    "DE": (["gmail.com", "web.de", "gmx.de", "t-online.de", "outlook.de"],
           [30, 25, 25, 10, 5]),
}
CATEGORIES = ["Outerwear", "Footwear", "Tops", "Bottoms", "Accessories", "Bags", "Home",
              "Outdoor Gear"]
PRODUCT_WORDS = {
    "Outerwear": ["Rain Shell", "Down Parka", "Fleece Jacket", "Wool Coat", "Puffer Vest"],
    "Footwear": ["Trail Runner", "Leather Boot", "Canvas Sneaker", "Wool Slipper", "Hiking Boot"],
    "Tops": ["Oxford Shirt", "Merino Sweater", "Linen Tee", "Flannel Shirt", "Henley"],
    "Bottoms": ["Chino", "Slim Jean", "Cargo Short", "Jogger", "Corduroy Pant"],
    "Accessories": ["Beanie", "Scarf", "Leather Belt", "Sunglasses", "Gloves"],
    "Bags": ["Weekender", "Daypack", "Tote", "Laptop Sleeve", "Crossbody"],
    "Home": ["Throw Blanket", "Candle", "Mug Set", "Linen Napkins", "Cushion Cover"],
    "Outdoor Gear": ["Trekking Pole", "Headlamp", "Water Bottle", "Camp Chair", "Dry Bag"],
}
PRODUCT_SUFFIXES = ["", " II", " Pro", " Lite", ", Men's", ", Women's", " | Organic Cotton",
                    ' 15"', " (2-pack)", " - Recycled"]
COLORS = ["Black", "Navy", "Olive", "Sand", "Rust", "Heather Grey", "Forest", "Cream"]
SEARCH_TERMS = ["rain jacket", "boots", "gift for him", "merino", "sale", "backpack", "socks",
                "linen shirt", "waterproof", "candle"]
CAMPAIGN_THEMES = ["Fall Outerwear", "Weekend Flash Sale", "New Arrivals", "Loyalty Double Points",
                   "Holiday Preview", "Winback", "Welcome Series", "Clearance", "Gift Guide",
                   "Cyber Week Early Access", "Footwear Edit", "Outdoor Essentials",
                   "Rain, Wind & Snow", "Member Appreciation", "Back in Stock"]
CAMPAIGN_TYPES = ["Promotional", "Newsletter", "Lifecycle", "Seasonal", "Loyalty"]
OWNERS = ["CRM Team", "Ecommerce", "Retail Marketing", "Brand", "Growth, Paid Media"]
AUDIENCES = ["All subscribers", "Active 12m", "Lapsed 90d", "VIP", "New customers 30d",
             "High value, low frequency"]
SEGMENTS = ["VIP", "Active", "Lapsed"]
LOYALTY_TIERS = ["Bronze", "Silver", "Gold", "Platinum"]
SITE = "https://www.brand.example"


# --------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------
class FastRandom(random.Random):
    """random.Random whose integer helpers are built on random() (53 bits): several times
    faster than the stdlib's exact ones in the hot loops, just as deterministic, and their
    bias (below 2**-30 for the ranges used here) does not matter for sample data."""

    def _randbelow(self, n: int) -> int:  # used by sample() and shuffle()
        return int(self.random() * n)

    def randrange(self, start: int, stop: int | None = None, step: int = 1) -> int:
        if stop is None:
            return int(self.random() * start)
        return start + step * int(self.random() * ((stop - start + step - 1) // step))

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))

    def choice(self, seq):
        return seq[int(self.random() * len(seq))]


def scoped_rng(seed: int, *scope) -> FastRandom:
    """The generator of one scope, e.g. ("web", 12); string seeds are hashed with SHA-512,
    so the stream is stable across runs, processes and platforms."""
    return FastRandom("/".join(str(p) for p in (seed,) + scope))


def mix64(x: int) -> int:
    """SplitMix64 finalizer: a cheap, stable integer hash."""
    x = (x + 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
    return x ^ (x >> 31)


def money(cents: int) -> str:
    """Integer cents -> decimal text ("1234.50", "-0.05")."""
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}{cents // 100}.{cents % 100:02d}"


_WHITESPACE = (" ", "\t", "\u00a0")


def esc(value: str, delim: str) -> str:
    """Quote a field when needed: delimiter, quote, tab or surrounding whitespace."""
    if value and (delim in value or '"' in value or "\t" in value
                  or value[0] in _WHITESPACE or value[-1] in _WHITESPACE):
        return '"' + value.replace('"', '""') + '"'
    return value


def join_row(values, delim: str) -> str:
    return delim.join([esc(v, delim) for v in values])


def allocate(total: int, weights: list[float]) -> list[int]:
    """Split an integer total over weights exactly (largest remainder, ties by index)."""
    s = sum(weights)
    raw = [total * w / s for w in weights]
    out = [int(r) for r in raw]
    rest = total - sum(out)
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - out[i]), i))
    for i in order[:rest]:
        out[i] += 1
    return out


def _nth_sunday(year: int, month: int, n: int) -> dt.date:
    """n-th Sunday of a month (n=-1: the last one)."""
    if n > 0:
        first = dt.date(year, month, 1)
        return first + dt.timedelta(days=(6 - first.weekday()) % 7 + 7 * (n - 1))
    last = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.weekday() - 6) % 7)


@functools.lru_cache(maxsize=None)
def utc_offset_minutes(tz: str, day: dt.date) -> int:
    """UTC offset of a time zone on a local date (US / EU DST rules; no tz database needed)."""
    std, rule = TZ_RULES[tz]
    y = day.year
    if rule == "us":
        start, end = _nth_sunday(y, 3, 2), _nth_sunday(y, 11, 1)
    else:
        start, end = _nth_sunday(y, 3, -1), _nth_sunday(y, 10, -1)
    return std + 60 if start <= day < end else std


def fmt_offset(minutes: int) -> str:
    sign = "-" if minutes < 0 else "+"
    m = abs(minutes)
    return f"{sign}{m // 60:02d}:{m % 60:02d}"


def iso_from_ms(ms: int, suffix: str = "") -> str:
    """Epoch ms -> 'YYYY-MM-DDTHH:MM:SS' (+ suffix, e.g. 'Z')."""
    days, rem = divmod(ms, DAY_MS)
    s = rem // 1000
    d = EPOCH + dt.timedelta(days=days)
    return f"{d.isoformat()}T{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}{suffix}"


def ascii_fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


# --------------------------------------------------------------------------------------
# World plan (built once per run; everything else derives from it)
# --------------------------------------------------------------------------------------
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


class Organization:
    __slots__ = ("id", "name", "type", "country", "state", "city", "tz", "opened")


class Product:
    __slots__ = ("id", "name", "category", "price", "name_comma", "name_pipe", "slug")


class World:
    """Plan of the sample world: calendar, volumes, customers' flags, organizations,
    products, campaigns/dispatches/messages and where bad rows go."""

    def __init__(self, args):
        self.seed = args.seed
        self.as_of = args.as_of
        self.days = args.days
        self.n_customers = args.customers
        self.n_events = args.events
        self.n_transactions = args.transactions
        self.bad_rows = args.bad_rows
        self.first_day = self.as_of - dt.timedelta(days=self.days)
        self.horizon = self.days + EXTENSION_DAYS          # data days 0 .. horizon-1
        self.ms0 = (self.first_day - EPOCH).days * DAY_MS
        self.dates = [self.first_day + dt.timedelta(days=k) for k in range(-1, self.horizon + 9)]
        self._day_iso = [d.isoformat() for d in self.dates]
        self._ymd = [d.strftime("%Y%m%d") for d in self.dates]
        self._plan_customers()
        self._plan_volumes()
        self._plan_organizations()
        self._plan_products()
        self._plan_campaigns()
        self._plan_bad_rows()

    # ---- calendar -----------------------------------------------------------------
    def date(self, k: int) -> dt.date:
        return self.dates[k + 1]

    def day_iso(self, k: int) -> str:
        return self._day_iso[k + 1]

    def ymd(self, k: int) -> str:
        return self._ymd[k + 1]

    def day_ms(self, k: int) -> int:
        return self.ms0 + k * DAY_MS

    def utc_text(self, ms: int, suffix: str = "") -> str:
        """Epoch ms -> 'YYYY-MM-DDTHH:MM:SS' + suffix (fast path for days of the horizon)."""
        k, rem = divmod(ms - self.ms0, DAY_MS)
        if not 0 <= k + 1 < len(self._day_iso):
            return iso_from_ms(ms, suffix)
        s = rem // 1000
        return f"{self._day_iso[k + 1]}T{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}{suffix}"

    def rng(self, *scope) -> FastRandom:
        return scoped_rng(self.seed, *scope)

    def file_name(self, kind: str, s: int) -> str:
        prefix, entity = FILE_KINDS[kind][0], FILE_KINDS[kind][1]
        if s == 0 or kind in ("campaign", "dispatch", "message"):
            hhmmss = "050000"
        elif kind == "customer_weekly":
            hhmmss = "070000"
        else:
            hhmmss = "060000"
        return f"{prefix}{entity}_{self.ymd(s)}{hhmmss}.csv"

    # ---- customers ----------------------------------------------------------------
    def _plan_customers(self):
        n = self.n_customers
        self.new_per_day = int(n * NEW_CUSTOMER_SHARE) // self.days
        self.n_initial = n - self.new_per_day * self.days
        self.n_total = self.n_initial + self.new_per_day * self.horizon
        self.cust_width = max(7, len(str(self.n_total * 10)))
        self._cnum_format = f"C%0{self.cust_width}d"
        rng = self.rng("customer-flags")
        rnd = rng.random
        flags = bytearray(self.n_total)
        country = bytearray(self.n_total)
        cum = COUNTRY_CUM
        for i in range(self.n_total):
            f = 0
            if rnd() < 0.92:
                f |= HAS_EMAIL
            if rnd() < 0.70:
                f |= HAS_MOBILE
            if rnd() < 0.10:
                f |= PREF_EMPTY
            else:
                if rnd() < 0.05:
                    f |= DNE
                if rnd() < 0.04:
                    f |= DNC
                if rnd() < 0.03:
                    f |= DNS
                if rnd() < 0.03:
                    f |= PREF_UNKNOWN
            flags[i] = f
            country[i] = bisect.bisect_right(cum, rnd())
        self.cflags = flags
        self.ccountry = country
        self.cookie_salt = mix64(self.seed)

    def n_known(self, k: int) -> int:
        """Customers created before data day k (those events and purchases may use)."""
        return self.n_initial + max(0, k) * self.new_per_day

    def cnum(self, i: int) -> str:
        return self._cnum_format % (i + 1)

    def cookie(self, i: int) -> str:
        return f"ck{mix64(self.cookie_salt ^ i) & 0xFFFFFFFFFFFF:012x}"

    def created_day(self, i: int) -> int | None:
        """Data day a customer was created on, None for the initial population."""
        if i < self.n_initial:
            return None
        return (i - self.n_initial) // self.new_per_day

    # ---- volumes ------------------------------------------------------------------
    def _per_day(self, total: int, weekday: list[float], floor: int) -> list[int]:
        w = [weekday[self.date(k).weekday()] for k in range(self.horizon)]
        window = allocate(total, w[:self.days])
        rate = total / sum(w[:self.days])
        ext = [int(round(rate * x)) for x in w[self.days:]]
        return [max(floor, q) for q in window + ext]

    def _plan_volumes(self):
        e = self.n_events
        self.web_q = self._per_day(int(e * WEB_SHARE), EVENT_WEEKDAY, 5)
        self.custom_q = self._per_day(int(e * CUSTOM_SHARE), EVENT_WEEKDAY, 1)
        self.subs_q = self._per_day(int(e * SUBSCRIPTION_SHARE), EVENT_WEEKDAY, 1)
        window = self.days
        other = sum(self.web_q[:window]) + sum(self.custom_q[:window]) + sum(self.subs_q[:window])
        self.campaign_event_budget = max(0, e - other)
        txn = self._per_day(self.n_transactions, TXN_WEEKDAY, 2)
        rng = self.rng("transaction-split")
        self.ecom_q, self.pos_q = [], []
        for q in txn:
            ecom = min(q - 1, max(1, int(round(q * ECOM_SHARE + rng.uniform(-0.5, 0.5)))))
            self.ecom_q.append(ecom)
            self.pos_q.append(q - ecom)
        if max(txn) >= 970_000:
            raise SystemExit("--transactions too large: at most ~970k transactions per day")

    # ---- organizations and products --------------------------------------------------
    def _plan_organizations(self):
        rng = self.rng("organizations")
        self.organizations = []
        self.stores_by_country = {}
        self.web_by_country = {}
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
                self.organizations.append(o)
                self.stores_by_country.setdefault(country, []).append(o)
        for country in COUNTRIES:
            city, code, _, _, _, tz = LOCATIONS[country][0]
            o = Organization()
            o.id = f"WEB-{country}"
            o.name = f"brand.example ({country})"
            o.type = "web"
            o.country, o.city, o.tz, o.state = country, "", tz, ""
            o.opened = "2015-03-01"
            self.organizations.append(o)
            self.web_by_country[country] = o

    def _plan_products(self):
        rng = self.rng("products")
        self.products = []
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
                    self.products.append(p)
        # Popularity: a Zipf-like pick list.
        self.product_picks = []
        for rank, p in enumerate(rng.sample(self.products, len(self.products))):
            self.product_picks.extend([p] * max(1, 40 // (rank // 8 + 1)))

    # ---- campaigns ----------------------------------------------------------------
    def _plan_campaigns(self):
        rng = self.rng("campaigns")
        per_day = self.campaign_event_budget / self.days
        self.dispatches_per_day = max(1, min(MAX_DISPATCHES_PER_DAY,
                                             round(per_day / EVENTS_PER_DISPATCH)))
        plan_days = self.horizon + WEEKLY_EVERY
        self.campaigns: list[Campaign] = []
        self.dispatches: list[Dispatch] = []
        self.messages: list[Message] = []
        channels: list[str] = []
        active: list[Campaign] = []
        for k in range(plan_days):
            active = [c for c in active if c.end_day >= k and len(c.dispatches) < c.max_dispatches]
            for _ in range(self.dispatches_per_day):
                if not channels:
                    channels = list(CHANNEL_BLOCK)
                    rng.shuffle(channels)
                channel = channels.pop()
                if active and rng.random() < 0.75:
                    camp = rng.choice(active)
                else:
                    camp = self._new_campaign(rng, k)
                    active.append(camp)
                self._new_dispatch(rng, camp, k, channel)
        # Audience sizes: campaign events of the window ~= campaign_event_budget.
        load = sum(d.weight * EVENTS_PER_RECIPIENT[d.channel] for d in self.dispatches
                   if d.send_day < self.days)
        scale = self.campaign_event_budget / load if load else 0.0
        for d in self.dispatches:
            d.audience = max(1, int(round(scale * d.weight))) if d.channel != "paidSocial" else 0
            self._price_messages(rng, d)
        self.dispatches_by_day: dict[int, list[Dispatch]] = {}
        for d in self.dispatches:
            self.dispatches_by_day.setdefault(d.send_day, []).append(d)
        # A test campaign in the first full load, deleted in the first weekly file.
        test = Campaign()
        test.id, test.name = "CMP00000", "TEST campaign - please ignore"
        test.description, test.type = "Created by mistake", "Promotional"
        test.start_day = test.end_day = 0
        test.created = self.utc_text(self.day_ms(-1) + 9 * HOUR_MS)
        test.budget, test.owner, test.dispatches, test.slot = "0.00", "CRM Team", [], 0
        test.max_dispatches = 0
        self.test_campaign = test
        if len(self.campaigns) >= 80_000 or len(self.dispatches) >= 800_000:
            raise SystemExit("too many campaigns/dispatches for the numbering scheme")

    def _new_campaign(self, rng, k: int) -> Campaign:
        c = Campaign()
        n = len(self.campaigns) + 1
        c.id = f"CMP{n:05d}"
        theme = rng.choice(CAMPAIGN_THEMES)
        month = self.date(k).strftime("%b %Y")
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
        created_ms = self.day_ms(c.slot) - rng.randint(1, 14) * DAY_MS + rng.randrange(DAY_MS)
        c.created = self.utc_text(created_ms, "Z")
        c.budget = money(rng.randint(20, 400) * 50_00) if rng.random() < 0.8 else ""
        c.owner = rng.choice(OWNERS)
        c.dispatches = []
        self.campaigns.append(c)
        return c

    def _new_dispatch(self, rng, camp: Campaign, k: int, channel: str) -> Dispatch:
        d = Dispatch()
        d.id = f"DSP{len(self.dispatches) + 1:06d}"
        d.campaign = camp
        d.channel = channel
        d.subtype = rng.choice(SUBTYPES[channel])
        d.send_day = k
        hour = {"email": (12, 20), "sms": (15, 22), "directMail": (10, 11),
                "paidSocial": (0, 1)}[channel]
        d.send_ms = self.day_ms(k) + rng.randrange(hour[0] * HOUR_MS, hour[1] * HOUR_MS, MINUTE_MS)
        d.weight = rng.uniform(0.5, 1.5)
        d.slot = (k // WEEKLY_EVERY) * WEEKLY_EVERY
        d.name = f"{camp.name} - {channel} {self.date(k).strftime('%b %d')}"
        d.created = self.utc_text(self.day_ms(d.slot) - rng.randint(1, 5) * DAY_MS
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
            m.id = f"MSG{len(self.messages) + 1:07d}"
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
            m.products = rng.sample(self.products, 2)
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
                m.attr_start = self.day_iso(k + rng.randint(0, 1))
            m.created = d.created
            m.creative = f"CR-{rng.randrange(100000):05d}"
            m.open_rate = EMAIL_OPEN_RATE * (1.15 if v == "B" else 1.0)
            d.messages.append(m)
            self.messages.append(m)
        camp.dispatches.append(d)
        self.dispatches.append(d)
        return d

    def _price_messages(self, rng, d: Dispatch):
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

    def paid_social_messages(self, k: int) -> list[Message]:
        out = []
        for day in range(max(0, k - 13), k + 1):
            for d in self.dispatches_by_day.get(day, ()):
                if d.channel == "paidSocial":
                    out.extend(d.messages)
        return out

    # ---- bad rows -----------------------------------------------------------------
    def _plan_bad_rows(self):
        """Pick, for every reject reason, K target files (delivered within the window)."""
        rng = self.rng("bad-rows")
        slots = {
            "organization": [0], "customer_full": [0],
            "campaign": self.weekly_slots(), "dispatch": self.weekly_slots(),
            "message": self.weekly_slots(),
            "customer_weekly": [s for s in self.weekly_slots() if s > 0],
        }
        for kind in DAILY_KINDS:
            slots[kind] = list(range(1, self.days + 1))
        self.bad_plan: dict[tuple[str, int], list[tuple[str, str, int]]] = {}
        serial = 0
        for reason, entities in BAD_KIND_ENTITIES.items():
            ents = list(entities)
            rng.shuffle(ents)
            for j in range(self.bad_rows):
                entity = ents[j % len(ents)]
                kinds = [kd for kd in BAD_ROW_TARGETS[entity] if slots.get(kd)]
                if reason == "duplicate_row":
                    kinds = [kd for kd in kinds if kd in DUPLICATE_TARGETS]
                kind = rng.choice(kinds)
                s = rng.choice(slots[kind])
                serial += 1
                self.bad_plan.setdefault((kind, s), []).append((reason, entity, serial))

    def weekly_slots(self) -> list[int]:
        """Delivery days (within the window) that carry campaign metadata: 0, 7, 14, ..."""
        return list(range(0, self.days + 1, WEEKLY_EVERY))


# --------------------------------------------------------------------------------------
# Customers
# --------------------------------------------------------------------------------------
def _make_email(rng, first: str, last: str, country: str) -> str:
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
        email = rng.choice(_WHITESPACE) + email + rng.choice(["", " ", "\t", "\u00a0"])
    return email


def _make_phone(rng, country: str, area_codes: list[str], mobile: bool) -> str:
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


def _make_zip(rng, country: str, stem: str) -> str:
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
    email = _make_email(rng, first, last, country) if flags & HAS_EMAIL else ""
    if email_only:
        return email
    city, code, state_name, stem, areas, _ = rng.choice(LOCATIONS[country])
    mobile = _make_phone(rng, country, areas, True) if flags & HAS_MOBILE else ""
    primary = _make_phone(rng, country, areas, False) if rng.random() < 0.4 else ""
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
    zip_code = _make_zip(rng, country, stem)
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
        rec[7], rec[9] = city, _make_zip(rng, country, stem)
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
                rec[4] = _make_phone(rng, country, areas, True)
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


# --------------------------------------------------------------------------------------
# Organizations and campaign metadata
# --------------------------------------------------------------------------------------
def organization_lines(w: World) -> list[str]:
    return [join_row([o.id, o.name, o.type, o.country, o.state, o.city, o.tz, o.opened], ",")
            for o in w.organizations]


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


# --------------------------------------------------------------------------------------
# Campaign activity (recipients and events of one dispatch)
# --------------------------------------------------------------------------------------
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
    """All events of a dispatch as {data day: [(ts, file kind, line), ...]}."""
    out: dict[int, list] = {}
    if not recips:
        return out
    rng = w.rng("dispatch-events", d.id)
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
                land = f"{url}?utm_source=email&utm_campaign={d.campaign.id}"
                add(t2, "web_event", f"{t2}\tproductBrowsed\t{c}\t{esc(we, chr(9))}\t"
                    f"{w.cookie(r)}\t{rng.getrandbits(48):012x}\t{land}\t{prod}\t\t\t{mid}\t"
                    f"{'mobile' if rnd() < 0.6 else 'desktop'}")
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
    return out


class DayContext:
    """Caches per worker: dispatch recipients/events and yesterday's item corrections.
    Only memoizes pure functions, so output never depends on the processing order."""

    def __init__(self, w: World):
        self.w = w
        self.recipients: dict[str, tuple] = {}
        self.events: dict[str, dict] = {}
        self.corrections: dict[int, dict] = {}

    def get_recipients(self, d: Dispatch):
        r = self.recipients.get(d.id)
        if r is None:
            r = self.recipients[d.id] = dispatch_recipients(self.w, d)
        return r

    def get_events(self, d: Dispatch):
        ev = self.events.get(d.id)
        if ev is None:
            ev = self.events[d.id] = dispatch_events(self.w, d, *self.get_recipients(d))
        return ev

    def prune(self, k: int):
        keep_from = k - max(EVENT_LOOKBACK_DAYS + 1, UPLIFT_WINDOW_DAYS + 1)
        for d_id in [x for x in self.recipients if self._day(x) < keep_from]:
            del self.recipients[d_id]
        for d_id in [x for x in self.events if self._day(x) < keep_from]:
            del self.events[d_id]
        for day in [x for x in self.corrections if x < k - 2]:
            del self.corrections[day]

    def _day(self, d_id: str) -> int:
        return self.w.dispatches[int(d_id[3:]) - 1].send_day

    def recent_treated(self, k: int) -> list[int]:
        """Mailed (non-holdout) recipients of dispatches sent in the last days."""
        out: list[int] = []
        for day in range(max(0, k - UPLIFT_WINDOW_DAYS), k):
            for d in self.w.dispatches_by_day.get(day, ()):
                if d.channel == "paidSocial":
                    continue
                recips, assign = self.get_recipients(d)
                holdout = {i for i, m in enumerate(d.messages) if m.is_holdout}
                if holdout:
                    out.extend(r for r, a in zip(recips, assign) if a not in holdout)
                else:
                    out.extend(recips)
        return out

    def get_corrections(self, k: int) -> dict:
        if k < 0:
            return {"pos": [], "ecom": []}
        if k not in self.corrections:
            transactions_for_day(self.w, self, k)
        return self.corrections[k]


# --------------------------------------------------------------------------------------
# Transactions
# --------------------------------------------------------------------------------------
def _pick_org(w: World, rng, cust: int, channel: str) -> Organization:
    country = COUNTRIES[w.ccountry[cust]]
    if channel == "ecom":
        return w.web_by_country[country]
    stores = w.stores_by_country[country]
    if rng.random() < 0.8:
        return stores[mix64(w.cookie_salt + cust) % len(stores)]
    return rng.choice(stores)


def transactions_for_day(w: World, ctx: DayContext, k: int) -> dict[str, list[str]]:
    """Transactions and items of data day k (POS: local business day; ecom: UTC day).
    Also stores tomorrow's correction lines in ctx.corrections[k] and returns
    'checkouts' for the web events: (txn, customer, ts_ms, total)."""
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
    seq = 0
    for channel, count in (("pos", w.pos_q[k]), ("ecom", w.ecom_q[k])):
        txn_lines = out[f"{channel}_transaction"]
        item_lines = out[f"{channel}_transactionitem"]
        for _ in range(count):
            seq += 1
            txn = f"T{ymd}{seq:06d}"
            cust = recent[rr(len(recent))] if rnd() < uplift_share else rr(known)
            org = _pick_org(w, rng, cust, channel)
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
                    out["checkouts"].append((txn, cust, utc_ms, money(total)))
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
    ctx.corrections[k] = corrections
    return out


# --------------------------------------------------------------------------------------
# Non-campaign events: web sessions, custom types, subscriptions
# --------------------------------------------------------------------------------------
def web_events(w: World, k: int, checkouts: list, quota: int) -> list[tuple[int, str]]:
    """Web sessions of day k (TAB file) up to the quota: checkout sessions of e-commerce
    orders first, then browsing sessions (some landing from a paid-social ad)."""
    rng = w.rng("web", k)
    rnd, rr = rng.random, rng.randrange
    out: list[tuple[int, str]] = []
    day0, day_end = w.day_ms(k), w.day_ms(k + 1) - 1
    known = w.n_known(k)
    paid = w.paid_social_messages(k)
    picks = w.product_picks
    budget = quota

    def identity(cust: int):
        r = rnd()
        if r < 0.9 or not w.cflags[cust] & HAS_EMAIL:
            return w.cnum(cust), ""
        e = esc(variant_email(rng, customer_email(w, cust)), "\t")
        return ("" if r < 0.95 else w.cnum(cust)), e

    def line(ts, typ, c, e, cookie, sess, url, prod="", txn="", value="", msg="", dev=""):
        return ts, (f"{ts}\t{typ}\t{c}\t{e}\t{cookie}\t{sess}\t{url}\t{prod}\t{txn}\t{value}\t"
                    f"{msg}\t{dev}")

    for txn, cust, ts, total in checkouts:
        if budget <= 0:
            break
        c, e = identity(cust)
        cookie, sess = w.cookie(cust), f"{rng.getrandbits(48):012x}"
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
        cookie = w.cookie(cust) if rnd() < 0.8 else f"ck{rng.getrandbits(48):012x}"
        sess = f"{rng.getrandbits(48):012x}"
        dev = ("mobile", "mobile", "desktop", "tablet")[rr(4)]
        t = day0 + rr(DAY_MS - HOUR_MS)
        msg = ""
        if paid and rnd() < PAID_SOCIAL_SESSION_SHARE:
            m = rng.choice(paid)
            msg = m.id
            p = m.products[0]
            src = m.dispatch.subtype
            out.append(line(t, "productBrowsed", c, e, cookie, sess,
                            f"{SITE}/p/{p.id}?utm_source={src}&utm_medium=paid_social",
                            p.id, msg=msg, dev=dev))
            budget -= 1
            t += rr(10_000, 120_000)
        if budget > 0 and rnd() < 0.4:
            out.append(line(t, "login", c, e, cookie, sess, f"{SITE}/account/login", dev=dev))
            budget -= 1
            t += rr(5_000, 60_000)
        n = 1 + rr(5)
        for _ in range(n):
            if budget <= 0 or t > day_end:
                break
            r = rnd()
            if r < 0.2:
                cat = CATEGORIES[rr(len(CATEGORIES))]
                out.append(line(t, "categoryBrowsed", c, e, cookie, sess,
                                f"{SITE}/c/{cat.lower().replace(' ', '-')}", dev=dev))
            elif r < 0.3:
                term = SEARCH_TERMS[rr(len(SEARCH_TERMS))]
                out.append(line(t, "onsiteSearch", c, e, cookie, sess,
                                f"{SITE}/search?q={term.replace(' ', '+')}", dev=dev))
            elif r < 0.42:
                p = picks[rr(len(picks))]
                out.append(line(t, "cartUpdated", c, e, cookie, sess, f"{SITE}/cart", p.id,
                                value=money(p.price * (1 + rr(3))), dev=dev))
            else:
                p = picks[rr(len(picks))]
                out.append(line(t, "productBrowsed", c, e, cookie, sess, f"{SITE}/p/{p.id}",
                                p.id, dev=dev))
            budget -= 1
            t += rr(5_000, 240_000)
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
            store = _pick_org(w, rng, cust, "pos").id
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


# --------------------------------------------------------------------------------------
# Bad rows
# --------------------------------------------------------------------------------------
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
        elif reason == "missing_identity":
            row["SourceCustomerNumber"] = ""
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
        org = _pick_org(w, rng, cust, channel)
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


# --------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------
def write_feed(w: World, out_dir: Path, kind: str, s: int, lines, header: list[str] | None = None,
               n_good: int | None = None, context: dict | None = None) -> dict | None:
    """Write one landing file with its planned bad rows; returns its summary record
    (None when there is nothing to write)."""
    prefix, entity, delim, newline, columns = FILE_KINDS[kind]
    header = header or columns
    if n_good is None:
        n_good = len(lines)
    bads = w.bad_plan.get((kind, s), [])
    if n_good == 0 and not bads:
        return None
    name = w.file_name(kind, s)
    prng = w.rng("bad-position", name)
    inserts: dict[int, list[tuple[str | None, int, str]]] = {}
    keep: set[int] = set()
    for reason, _, serial in bads:
        if reason == "duplicate_row":
            if n_good == 0:
                continue
            orig = prng.randrange(n_good)
            after = prng.randrange(orig, n_good)
            keep.add(orig)
            inserts.setdefault(after, []).append((None, orig, reason))
        else:
            after = prng.randrange(n_good) if n_good else -1
            line = bad_row(w, kind, s, reason, serial, header, context or {})
            inserts.setdefault(after, []).append((line, -1, reason))
    kept: dict[int, str] = {}
    rejects: list[tuple[int, str]] = []
    row = 0
    with open(out_dir / name, "w", encoding="utf-8", newline="") as f:
        buf = [delim.join(header)]

        def emit_bads(after: int):
            nonlocal row
            for bline, orig, reason in inserts[after]:
                buf.append(bline if bline is not None else kept[orig])
                row += 1
                rejects.append((row, reason))

        if -1 in inserts:
            emit_bads(-1)
        if not inserts:  # fast path: no bad rows in this file
            written = 0  # lines, header included
            for line in lines:
                buf.append(line)
                if len(buf) >= 20_000:
                    f.write(newline.join(buf) + newline)
                    written += len(buf)
                    buf.clear()
            row = written + len(buf) - 1
        else:
            for g, line in enumerate(lines):
                buf.append(line)
                row += 1
                if g in keep:
                    kept[g] = line
                if g in inserts:
                    emit_bads(g)
                if len(buf) >= 20_000:
                    f.write(newline.join(buf) + newline)
                    buf.clear()
        if buf:
            f.write(newline.join(buf) + newline)
    return {"file": name, "entity": entity, "source_system": prefix.rstrip("_") or None,
            "rows": row, "rejects": rejects}


def write_initial(w: World, out_dir: Path) -> list[dict]:
    results = [write_feed(w, out_dir, "organization", 0, organization_lines(w)),
               write_feed(w, out_dir, "customer_full", 0, customer_full_rows(w),
                          n_good=w.n_initial)]
    for kind, (lines, header) in campaign_metadata(w, 0).items():
        results.append(write_feed(w, out_dir, kind, 0, lines, header=header))
    return [r for r in results if r]


def write_delivery_day(w: World, ctx: DayContext, out_dir: Path, s: int) -> list[dict]:
    """All files stamped on delivery day s >= 1 (data of day s-1, plus weekly files)."""
    k = s - 1
    results = []
    if s % WEEKLY_EVERY == 0:
        for kind, (lines, header) in campaign_metadata(w, s).items():
            results.append(write_feed(w, out_dir, kind, s, lines, header=header))
        lines, header = customer_weekly_lines(w, s)
        results.append(write_feed(w, out_dir, "customer_weekly", s, lines, header=header))
    results.append(write_feed(w, out_dir, "customer_daily", s, customer_daily_lines(w, s)))
    prev_corrections = ctx.get_corrections(k - 1)
    txn = transactions_for_day(w, ctx, k)
    events = day_event_lines(w, ctx, k, txn["checkouts"])
    for kind in ("esp_event", "sms_event", "dm_event", "web_event", "custom_event"):
        results.append(write_feed(w, out_dir, kind, s, events[kind]))
    for channel in ("pos", "ecom"):
        lines = txn[f"{channel}_transaction"]
        results.append(write_feed(w, out_dir, f"{channel}_transaction", s, lines))
        items = txn[f"{channel}_transactionitem"] + prev_corrections[channel]
        parent = lines[0].split(",", 1)[0] if lines else f"T{w.ymd(k)}000001"
        results.append(write_feed(w, out_dir, f"{channel}_transactionitem", s, items,
                                  context={"parent_transaction": parent}))
    ctx.prune(k)
    return [r for r in results if r]


# Worker plumbing: the world is built once and inherited by forked workers.
_WORLD: World | None = None
_OUT: Path | None = None


def _run_task(task: tuple) -> list[dict]:
    w, out_dir = _WORLD, _OUT
    if task[0] == "initial":
        return write_initial(w, out_dir)
    ctx = DayContext(w)
    results = []
    for s in range(task[1], task[2] + 1):
        results.extend(write_delivery_day(w, ctx, out_dir, s))
    return results


def generate(w: World, out_dir: Path, days: list[int], jobs: int) -> list[dict]:
    """Write the files of the given delivery days (0 = first full loads)."""
    global _WORLD, _OUT
    _WORLD, _OUT = w, out_dir
    tasks: list[tuple] = []
    if 0 in days:
        tasks.append(("initial",))
    rest = sorted(d for d in days if d > 0)
    if rest:
        n_chunks = max(1, min(len(rest), jobs * 2 if jobs > 1 else 1))
        size = -(-len(rest) // n_chunks)
        for i in range(0, len(rest), size):
            chunk = rest[i:i + size]
            tasks.append(("days", chunk[0], chunk[-1]))
    methods = multiprocessing.get_all_start_methods()
    if jobs > 1 and len(tasks) > 1 and "fork" in methods:
        with multiprocessing.get_context("fork").Pool(min(jobs, len(tasks))) as pool:
            parts = pool.map(_run_task, tasks, chunksize=1)
    else:
        parts = [_run_task(t) for t in tasks]
    return [r for part in parts for r in part]


# --------------------------------------------------------------------------------------
# Stamp file, manifests, CLI
# --------------------------------------------------------------------------------------
def candidate_files(w: World, days: list[int]) -> list[str]:
    names = []
    for s in days:
        kinds = INITIAL_KINDS if s == 0 else DAILY_KINDS + (
            WEEKLY_KINDS if s % WEEKLY_EVERY == 0 else [])
        names.extend(w.file_name(kind, s) for kind in kinds)
    return sorted(set(names))


def stamp_arguments(args) -> dict:
    return {"as_of": args.as_of.isoformat(), "customers": args.customers, "days": args.days,
            "events": args.events, "transactions": args.transactions, "seed": args.seed,
            "bad_rows": args.bad_rows, "generator_version": GENERATOR_VERSION,
            "script_sha256": hashlib.sha256(Path(__file__).read_bytes()).hexdigest()}


def read_json(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_json(path: Path, data: dict):
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def delete_listed(out_dir: Path, stamp: dict | None):
    for name in (stamp or {}).get("files", []):
        if "/" not in name and "\\" not in name and name.lower().endswith(".csv"):
            try:
                (out_dir / name).unlink()
            except FileNotFoundError:
                pass


def write_manifests(w: World, out_dir: Path, results: list[dict], merge: bool, args_dict: dict):
    """expected_rejects.csv and generator_summary.json next to the landing folder."""
    meta_dir = out_dir.parent
    rejects_path, summary_path = meta_dir / REJECTS_FILE, meta_dir / SUMMARY_FILE
    written = {r["file"] for r in results}
    reject_rows = []
    files: dict[str, dict] = {}
    if merge:
        old = read_json(summary_path) or {}
        files = {k: v for k, v in old.get("files", {}).items() if k not in written}
        if rejects_path.exists():
            with open(rejects_path, encoding="utf-8", newline="") as f:
                lines = f.read().splitlines()[1:]
            for ln in lines:
                entity, source_file, row_number, reason = ln.split(",")
                if source_file not in written and source_file in files:
                    reject_rows.append((source_file, int(row_number), entity, reason))
    for r in results:
        files[r["file"]] = {"entity": r["entity"], "source_system": r["source_system"],
                            "rows": r["rows"], "rejects": len(r["rejects"])}
        for row_number, reason in r["rejects"]:
            reject_rows.append((r["file"], row_number, r["entity"], reason))
    reject_rows.sort()
    with open(rejects_path, "w", encoding="utf-8", newline="") as f:
        f.write("entity,source_file,row_number,reason\n")
        for source_file, row_number, entity, reason in reject_rows:
            f.write(f"{entity},{source_file},{row_number},{reason}\n")
    entities: dict[str, dict] = {}
    for info in files.values():
        e = entities.setdefault(info["entity"], {"files": 0, "rows": 0, "rejects": 0})
        e["files"] += 1
        e["rows"] += info["rows"]
        e["rejects"] += info["rejects"]
    by_reason: dict[str, int] = {}
    for *_, reason in reject_rows:
        by_reason[reason] = by_reason.get(reason, 0) + 1
    write_json(summary_path, {
        "arguments": args_dict,
        "window": {"first_day": w.first_day.isoformat(), "as_of": w.as_of.isoformat(),
                   "data_days": [w.first_day.isoformat(),
                                 (w.as_of - dt.timedelta(days=1)).isoformat()]},
        "plan": {"campaigns": len(w.campaigns) + 1, "dispatches_per_day": w.dispatches_per_day,
                 "initial_customers": w.n_initial, "new_customers_per_day": w.new_per_day},
        "entities": dict(sorted(entities.items())),
        "rejects_by_reason": dict(sorted(by_reason.items())),
        "files": dict(sorted(files.items())),
    })


def parse_args(argv=None):
    p = argparse.ArgumentParser(
        description="Deterministic sample-feed generator for closedloop (see the module "
                    "docstring for the world model).",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=(
            "Data covers the D days [as_of - D, as_of - 1]; the data of day d is in files stamped\n"
            "d+1 06:00:00, the first full loads are stamped as_of - D 05:00:00, weekly change\n"
            "files every 7th day. Also writes DIR/../expected_rejects.csv (one line per injected\n"
            "bad row) and DIR/../generator_summary.json (rows per file and entity).\n\n"
            "A stamp file DIR/.generator.json records the arguments: when it matches and all\n"
            "files are there, nothing is done (exit 0). Otherwise the files listed in it are\n"
            "deleted and the sample is regenerated. CSV files the generator did not list are\n"
            "never deleted.\n\n"
            "--only-day DAY writes only the files whose name is stamped on DAY, i.e. the data of\n"
            "DAY - 1 (plus the weekly change files when DAY is a weekly day, or the first full\n"
            "loads when DAY = as_of - D), from the same world, byte-identical to a full run.\n"
            f"DAY may go up to as_of + {EXTENSION_DAYS}: the world continues after as_of, so the\n"
            "day after as_of can be added on top of a full sample made with the same arguments.\n"
            "Files of other days are left alone; the manifests are merged."))
    p.add_argument("--out", required=True, type=Path, metavar="DIR",
                   help="landing folder to write (manifests go to DIR/..)")
    p.add_argument("--as-of", required=True, type=dt.date.fromisoformat, metavar="YYYY-MM-DD",
                   help="run date; data covers the --days days before it")
    p.add_argument("--customers", type=int, default=2000, metavar="N",
                   help="customers at as_of (default 2000; ~10%% are created in the window)")
    p.add_argument("--days", type=int, default=60, metavar="D", help="days of data (default 60)")
    p.add_argument("--events", type=int, default=None, metavar="N",
                   help="events of the window, within ~1%% (default customers*days/12)")
    p.add_argument("--transactions", type=int, default=None, metavar="N",
                   help="transactions of the window (default customers*days/60)")
    p.add_argument("--seed", type=int, default=7, metavar="S", help="random seed (default 7)")
    p.add_argument("--bad-rows", type=int, default=3, metavar="K",
                   help="injected bad rows per reject reason (default 3)")
    p.add_argument("--only-day", type=dt.date.fromisoformat, default=None, metavar="YYYY-MM-DD",
                   help="write only the files delivered on this day (see below)")
    p.add_argument("--force", action="store_true",
                   help="regenerate even when the stamp file matches")
    p.add_argument("--jobs", type=int, default=min(4, os.cpu_count() or 1), metavar="J",
                   help="worker processes; the output does not depend on it "
                        "(default: CPUs, at most 4)")
    args = p.parse_args(argv)
    if args.events is None:
        args.events = args.customers * args.days // 12
    if args.transactions is None:
        args.transactions = args.customers * args.days // 60
    if args.days < 1 or args.customers < 20 or args.events < 0 or args.transactions < 0 \
            or args.bad_rows < 0 or args.seed < 0:
        p.error("need --days >= 1, --customers >= 20 and non-negative counts")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    out_dir = args.out.resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp_path = out_dir / STAMP_FILE
    stamp = read_json(stamp_path)
    wanted = stamp_arguments(args)
    matches = bool(stamp) and stamp.get("arguments") == wanted
    started = time.monotonic()

    if args.only_day is None:
        if matches and stamp.get("complete") and not args.force \
                and all((out_dir / n).exists() for n in stamp.get("files", [])):
            print(f"generate_sample: {out_dir} is up to date (stamp matches); nothing to do")
            return 0
        delete_listed(out_dir, stamp)
        w = World(args)
        days = list(range(0, args.days + 1))
        write_json(stamp_path, {"arguments": wanted, "complete": False,
                                "files": candidate_files(w, days)})
        results = generate(w, out_dir, days, args.jobs)
        write_manifests(w, out_dir, results, merge=False, args_dict=wanted)
        write_json(stamp_path, {"arguments": wanted, "complete": True,
                                "files": sorted(r["file"] for r in results)})
    else:
        first_day = args.as_of - dt.timedelta(days=args.days)
        s = (args.only_day - first_day).days
        if not 0 <= s <= args.days + EXTENSION_DAYS:
            print(f"generate_sample: --only-day must lie in [{first_day}, "
                  f"{args.as_of + dt.timedelta(days=EXTENSION_DAYS)}]", file=sys.stderr)
            return 2
        if stamp and not matches:
            if not args.force:
                print(f"generate_sample: {out_dir} holds a sample made with other arguments; "
                      "regenerate it first or pass --force (deletes its files)", file=sys.stderr)
                return 2
            delete_listed(out_dir, stamp)
            stamp = None
        w = World(args)
        results = generate(w, out_dir, [s], args.jobs)
        write_manifests(w, out_dir, results, merge=stamp is not None, args_dict=wanted)
        files = set(stamp.get("files", [])) if stamp else set()
        files.update(r["file"] for r in results)
        write_json(stamp_path, {"arguments": wanted,
                                "complete": bool(stamp and stamp.get("complete")),
                                "files": sorted(files)})
    rows = sum(r["rows"] for r in results)
    bad = sum(len(r["rejects"]) for r in results)
    print(f"generate_sample: wrote {len(results)} files, {rows} rows ({bad} injected bad rows) "
          f"to {out_dir} in {time.monotonic() - started:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
