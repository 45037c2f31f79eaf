-- The braze file of this as_of: customers whose attributes changed since the snapshot last sent (macro export_delta).
-- export_ledger decides it (rows it records for this as_of); scripts/write_exports.py writes it.
{{ export_delta('braze', ref('export_braze'), ref('export_ledger')) }}
