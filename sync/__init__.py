"""The jobs on the spreadsheet: sync (merge, duplicates, matching, Stats, Log) and export."""
