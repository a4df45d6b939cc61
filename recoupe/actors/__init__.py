"""Actors: the curated knowledge base (``kb``) and, later, mention-to-actor linking."""
from recoupe.actors.kb import Alias, KBActor, KnowledgeBase, Role

__all__ = ["Alias", "KBActor", "KnowledgeBase", "Role"]
