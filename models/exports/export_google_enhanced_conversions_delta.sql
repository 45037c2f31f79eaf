-- The google_enhanced_conversions file of this as_of: rows whose event id was never sent on
-- another as_of (macro export_delta). scripts/write_exports.py writes it; export_ledger records it.
{{ export_delta('google_enhanced_conversions', ref('export_google_enhanced_conversions'), ref('export_ledger')) }}
