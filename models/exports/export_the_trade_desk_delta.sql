-- The the_trade_desk file of this as_of: rows of orders never sent on another as_of (macro export_delta).
-- scripts/write_exports.py writes it; export_ledger records it.
{{ export_delta('the_trade_desk') }}
