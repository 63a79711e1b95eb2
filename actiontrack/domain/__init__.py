"""What a store holds and the rules councils judge it by.

vocabulary (statuses, RAGs), refs (the names people type), models (the records),
storedata (a whole store), item_map (items decoded as used), prefilter (what a report
asks of a store), tables and migrations (the records as plain tables, versioned), and
rules (slippage, RAG, staleness).
"""
