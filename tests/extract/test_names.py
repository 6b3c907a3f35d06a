"""The names stage: unlinked names from the NER model around the KB's."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from marsad.extract.names import _Taken

spans = st.lists(
    st.tuples(st.integers(0, 60), st.integers(1, 20)).map(lambda p: (p[0], p[0] + p[1])), max_size=12
)


@given(spans, st.integers(0, 80), st.integers(1, 20))
def test_taken_overlap_equals_a_scan_of_every_span(
    taken: list[tuple[int, int]], start: int, width: int
) -> None:
    end = start + width
    expected = any(s < end and e > start for s, e in taken)
    assert _Taken(sorted(taken)).overlaps(start, end) is expected
