"""Deterministic sample of closedloop's raw landing feeds (the package behind
scripts/generate_sample.py).

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
    of ``(seed, i)`` (:func:`customers.make_customer`), so any file can rebuild any customer.
    Identifiers are deliberately messy: upper-case e-mails, surrounding spaces/tabs/NBSP, gmail
    and googlemail addresses with dots and +tags, national and international phone formats,
    state codes or names, ZIP+4 and UK postcodes, lower-case country codes.

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
    Value) and paid-social landings carrying a paid-social message number and mostly the
    platform's click id (``fbclid`` for facebook / instagram, ``ttclid`` for tiktok). A ``event_``
    file without source prefix carries custom types (storeVisit, marketingCall, surveyFilled,
    warrantySignup).

Anonymous web visitors (``visitors``)
    About 5 % of the web events carry only a Cookie (and mostly a SessionID): no
    SourceCustomerNumber, no Email. A quarter of the e-mail clicks land in an anonymous session
    on a new cookie (``utm_source=email&utm_medium=email&utm_campaign=<campaign>&utm_content=
    <message>``, no SourceMessageNumber) with a few anonymous page views; most of those cookies
    are identified by a ``login`` (customer number + cookie) in the same session or 1-5 days
    later, and some of those customers then order on the site with that cookie (their order is
    one of the day's e-commerce transactions). Browsing on a new cookie (cleared cookies,
    another device: 20 % of browsing sessions) is partly anonymous until a login in the
    session. Every day also has a few paid-search landings (``utm_source=google&utm_medium=cpc&
    gclid=...``, anonymous or identified), cookies without SessionID whose two visits lie more
    than 30 minutes apart (some ending in a login), now and then a cookie two customers log in
    with (A, later B, then anonymous views), and every other day one anonymous landing with a
    malformed or odd URL (``%zz``, a trailing ``%``, a lone ``%C3``, upper-case ``UTM_`` keys,
    repeated keys, UTM only in the fragment, ``??``, ``+`` / ``%20``, ``%C3%A9``).

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
    file are in ``<out>/../generator_summary.json``. Anonymous web events are good rows (a web
    event is identified by SourceCustomerNumber, Email, Cookie or SessionID); an injected
    ``missing_identity`` web row carries none of the four.

Determinism
    Every random decision comes from ``random.Random`` seeded with a string built from
    ``--seed`` and the decision's scope (e.g. ``"7/web/12"``), never from global state, time or
    ``hash()``. Each day, dispatch and customer can thus be generated on its own, in any order
    or process (``--jobs``), with identical output.

Modules
-------
``params`` rates, shares and calendar constants; ``reference`` the word lists and places of
``data/*.csv``; ``feeds`` the file kinds and their columns; ``clock``, ``rng``, ``text`` small
helpers; ``world`` the plan built once per run, with ``catalog`` (organizations, products),
``campaigns`` and ``badrows`` (which files get which faults); ``customers`` and ``contacts``,
``metadata`` (campaign files), ``campaign_events``, ``events``, ``visitors`` (anonymous web
visitors), ``transactions`` the rows;
``context`` the per-worker caches; ``files`` writes one file, ``delivery`` the files of a
day over worker processes; ``stamp``, ``manifests`` and ``cli`` the run around it.
"""
