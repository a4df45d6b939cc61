"""The facts stage: triggers and frames, modality, attribution, time, quantities, merging."""
from .english import EnglishFactExtractor
from .extractor import FactExtractor
from .lexicon import FACT_TYPES, SYMMETRIC, load_lexicon

__all__ = ["EnglishFactExtractor", "FactExtractor", "FACT_TYPES", "SYMMETRIC", "load_lexicon"]
