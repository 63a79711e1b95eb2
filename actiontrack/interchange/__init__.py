"""Plans in and out: council spreadsheets read and imported, the whole store as JSON.

sheets (reading .csv and .xlsx cells), sheet_layout (what a council sheet's rows are),
sheet_rows (rows parsed and checked), importer (applying them) and exporter (the JSON
export and the rows every spreadsheet and calendar export is made of).
"""
