"""The facts stage: triggers and frames, modality, attribution, time, quantities, merging."""
from .extractor import FactExtractor
from .lexicon import FACT_TYPES, SYMMETRIC, load_lexicon

__all__ = ["FactExtractor", "FACT_TYPES", "SYMMETRIC", "load_lexicon"]
