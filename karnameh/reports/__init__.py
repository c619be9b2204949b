"""Report cards per agency and the province's final report, as pages and PDFs."""
