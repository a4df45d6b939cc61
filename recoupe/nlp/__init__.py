"""The spaCy stage: build the French pipeline and run it over article texts."""
from .pipeline import load_pipeline, MODEL_NAME

__all__ = ["load_pipeline", "MODEL_NAME"]
