-- The klaviyo file of this as_of: customers whose attributes changed since the snapshot last sent (macro export_delta).
-- scripts/write_exports.py writes it; export_ledger records it.
{{ export_delta('klaviyo') }}
