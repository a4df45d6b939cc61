"""Cross-checking: copies of one story, and claims that gather the reports of one happening.

Pure functions over plain data (no I/O, no database): the store calls them.
"""
from .claims import Claim, Report, claim_key, group_claims
from .copies import (COPY_THRESHOLD, band_keys, is_copy, normalise_for_copies, outlet_of, pack, signature,
                     similarity, unpack)

__all__ = [
    "COPY_THRESHOLD", "Claim", "Report", "band_keys", "claim_key", "group_claims", "is_copy",
    "normalise_for_copies", "outlet_of", "pack", "signature", "similarity", "unpack",
]
