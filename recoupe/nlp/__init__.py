"""The spaCy stage: build the French pipeline and run it over article texts."""
from .pipeline import MODEL_NAME, TokenizerPrimer, forget_transient_lemmas, load_pipeline

__all__ = ["load_pipeline", "MODEL_NAME", "TokenizerPrimer", "forget_transient_lemmas"]
