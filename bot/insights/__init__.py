"""What was asked and what it saved: the inquiry log with personal-data masking, the ledger and reports."""
