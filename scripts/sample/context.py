"""Per-worker caches of one run of consecutive days."""
from __future__ import annotations

from typing import TYPE_CHECKING

from .campaign_events import dispatch_events, dispatch_recipients
from .params import EVENT_LOOKBACK_DAYS, UPLIFT_WINDOW_DAYS
from .transactions import transactions_for_day

if TYPE_CHECKING:
    from .campaigns import Dispatch
    from .world import World


class DayContext:
    """Caches per worker: dispatch recipients/events (with the orders that follow anonymous
    landings) and yesterday's item corrections. Only memoizes pure functions, so output never
    depends on the processing order."""

    def __init__(self, w: World):
        self.w = w
        self.recipients: dict[str, tuple] = {}
        self.events: dict[str, tuple[dict, list]] = {}
        self.corrections: dict[int, dict] = {}

    def get_recipients(self, d: Dispatch):
        r = self.recipients.get(d.id)
        if r is None:
            r = self.recipients[d.id] = dispatch_recipients(self.w, d)
        return r

    def _dispatch_events(self, d: Dispatch) -> tuple[dict, list]:
        ev = self.events.get(d.id)
        if ev is None:
            ev = self.events[d.id] = dispatch_events(self.w, d, *self.get_recipients(d))
        return ev

    def get_events(self, d: Dispatch) -> dict:
        return self._dispatch_events(d)[0]

    def anonymous_buys(self, k: int) -> list[tuple]:
        """Orders of data day k that follow an anonymous e-mail landing and a login
        (data day, ts ms, customer, cookie), by time."""
        out = []
        for day in range(max(0, k - EVENT_LOOKBACK_DAYS), k + 1):
            for d in self.w.dispatches_by_day.get(day, ()):
                if d.channel == "email":
                    out.extend(b for b in self._dispatch_events(d)[1] if b[0] == k)
        return sorted(out)

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
