-- The klaviyo file of this as_of: customers whose attributes changed since the snapshot last sent (macro export_delta).
-- export_ledger decides it (rows it records for this as_of); scripts/write_exports.py writes it.
{{ export_delta('klaviyo', ref('export_klaviyo'), ref('export_ledger')) }}
