"""The knowledge base: entities, dated roles, titles (see :mod:`marsad.kb.base`)."""

from marsad.kb.base import Candidate, KnowledgeBase

__all__ = ["Candidate", "KnowledgeBase"]
