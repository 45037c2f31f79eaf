-- The the_trade_desk file of this as_of: rows of orders never sent on another as_of (macro export_delta).
-- export_ledger decides it (rows it records for this as_of); scripts/write_exports.py writes it.
{{ export_delta('the_trade_desk', ref('export_the_trade_desk'), ref('export_ledger')) }}
