"""Views by audience: common (shared pages and helpers), entry (填报人), review (审核人, 审计员), export (Excel)."""
