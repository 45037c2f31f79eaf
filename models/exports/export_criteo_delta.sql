-- The criteo file of this as_of: product lines never sent on another as_of (macro export_delta).
-- export_ledger decides it (rows it records for this as_of); scripts/write_exports.py writes it.
{{ export_delta('criteo', ref('export_criteo'), ref('export_ledger')) }}
