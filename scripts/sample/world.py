"""The plan of the sample world, built once per run; every file derives from it. The calendar
(data days 0 .. horizon-1, going on EXTENSION_DAYS after --as-of so that --only-day can add
the next days), customers' compact flags, daily volumes, and through catalog, campaigns and
badrows: organizations, products, campaigns and where bad rows go."""
from __future__ import annotations

import bisect
import datetime as dt

from .badrows import plan_bad_rows
from .campaigns import plan_campaigns
from .catalog import plan_organizations, plan_products
from .clock import DAY_MS, EPOCH, iso_from_ms
from .feeds import FILE_KINDS
from .params import (COUNTRY_CUM, CUSTOM_SHARE, DNC, DNE, DNS, ECOM_SHARE, EVENT_WEEKDAY,
                     EXTENSION_DAYS, HAS_EMAIL, HAS_MOBILE, NEW_CUSTOMER_SHARE, PREF_EMPTY,
                     PREF_UNKNOWN, SUBSCRIPTION_SHARE, TXN_WEEKDAY, WEB_SHARE, WEEKLY_EVERY)
from .rng import FastRandom, mix64, scoped_rng


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
        self.organizations, self.stores_by_country, self.web_by_country = plan_organizations(
            self.rng("organizations"))
        self.products, self.product_picks = plan_products(self.rng("products"))
        plan_campaigns(self)  # needs the volumes and the products
        self.bad_plan = plan_bad_rows(self)

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


    def weekly_slots(self) -> list[int]:
        """Delivery days (within the window) that carry campaign metadata: 0, 7, 14, ..."""
        return list(range(0, self.days + 1, WEEKLY_EVERY))
