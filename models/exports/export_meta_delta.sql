-- The meta file of this as_of: rows whose event id was never sent on another as_of (macro export_delta).
-- export_ledger decides it (rows it records for this as_of); scripts/write_exports.py writes it.
{{ export_delta('meta', ref('export_meta'), ref('export_ledger')) }}
