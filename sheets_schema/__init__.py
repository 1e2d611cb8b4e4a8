"""The spreadsheet contract and the Workbook that reads and writes it."""
