"""recoupe: a source-grounded, temporal knowledge graph of security affairs read from the press."""

__version__ = "0.1.0"
