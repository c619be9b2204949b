"""Karnameh: the annual performance evaluation of government executive agencies."""
