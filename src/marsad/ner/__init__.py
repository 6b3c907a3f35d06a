"""Named-entity tagging: a CRF over word features, trained on ANERcorp, shipped in the package.

>>> from marsad.ner import NerModel
>>> NerModel.load().tag(["زار", "الرئيس", "محمد", "عبد", "الله", "مدينة", "الرياض"])  # doctest: +SKIP

Tags are BIO over ``PERS``, ``LOC``, ``ORG`` and ``MISC``.
"""

from __future__ import annotations

from marsad.ner.conll import bio_spans, read_conll, score_entities, tag_conll, write_conll
from marsad.ner.model import NerModel

__all__ = ["NerModel", "bio_spans", "read_conll", "score_entities", "tag_conll", "write_conll"]
