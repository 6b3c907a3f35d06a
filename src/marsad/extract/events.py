"""The events stage: who did what to whom, where and when, with the sentence as evidence.

Triggers are data (``data/events/triggers.tsv``: verbs in their inflected forms, verbal
nouns and phrases, each with a PLOVER/POLECAT type and mode, and words one of which must
follow for the trigger to count: "وقع" + اتفاق). Around each trigger, within its clause:

* **source and target** from the actors (:mod:`marsad.extract.actors`): an actor just
  before a verb is its subject (SVO), else the first actor after it (VSO) and the next one
  its object; "مع X" and "بين X و Y" name the other side; a verbal noun takes the actor
  after it ("زيارة بوتين"), or its country adjective ("غارة إسرائيلية"), else the subject of
  the sentence's verb before it ("أجرى علييف زيارة");
* **location**: a place after في/بـ/إلى ("بالعاصمة باكو") in the clause, then in the
  sentence, else the dateline;
* **date**: a date expression in the clause, else in the sentence (``date_source: text``),
  else the publication date (``publication``);
* **context**: future (سـ/سوف), negated (لم/لن/لا/ما/نفى), hypothetical (إذا/لو),
  historical (a date more than a year before publication), reported (inside a quote).

An event needs both sides, each with a country or an international organisation, except
attacks, coercion, protests and mobilisations, which count with whatever sides are known;
a person is never his own country's counterpart. One happening is one event: the same type, mode, actors and date keep the
first evidence. Sides are compared by country, so "اللقاء" later in the article, between
the same two countries on the same day, is the meeting already found.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from marsad.arabic.phrases import token_keys, token_starts
from marsad.arabic.tokenize import clauses
from marsad.extract.actors import Slot, slots
from marsad.extract.events_lexicon import EventWords, Trigger, trigger_table
from marsad.extract.happenings import acceptable, merge_undated
from marsad.kb.base import KnowledgeBase
from marsad.model import ActorRef, DateMention, Document, Event, Location, Span, Token
from marsad.resources import read_tsv

__all__ = ["EventsStage", "Trigger"]

#: How many words after a trigger its required word ("وقع" … اتفاق) may come.
REQUIRES_WINDOW = 4
#: How many words before a verbal noun a discussion verb may stand ("تطرق الزعيم الأذربيجاني إلى الاشتباكات").
DISCUSSION_WINDOW = 5
#: How far after a trigger "بين X و Y" may start ("لقاء على حدة بين …").
BETWEEN_GAP = 3
#: How many words may stand between a subject and its verb (SVO).
SUBJECT_GAP = 8
#: A date this many days before publication makes an event historical.
HISTORICAL_DAYS = 365


class EventsStage:
    """Events of ``doc.text`` from the trigger table, the actors and the dates."""

    name = "events"
    requires = frozenset({"text", "tokens", "sentences", "entities", "dates", "quotes"})
    provides = frozenset({"events"})

    def __init__(
        self, kb: KnowledgeBase, triggers: Iterable[Mapping[str, str]], context: Iterable[Mapping[str, str]]
    ):
        self.kb = kb
        self.triggers = trigger_table(triggers)
        self.words = EventWords.from_rows(context)
        self.places_by_name = {e.name: e.id for e in kb.entities.values() if e.kind in ("capital", "city")}

    @classmethod
    def load(cls, kb: KnowledgeBase) -> EventsStage:
        return cls(kb, read_tsv("events/triggers.tsv"), read_tsv("events/context.tsv"))

    def __call__(self, doc: Document) -> Document:
        events = self.find(doc)
        return replace(doc, events=events, provided=doc.provided | self.provides)

    def find(self, doc: Document) -> tuple[Event, ...]:
        tokens = doc.tokens
        if not tokens:
            return ()
        keys = token_keys(tokens)
        found = slots(self.kb, doc.text, tokens, keys, doc.entities, self.words.place, self.words.direction)
        starts = token_starts(tokens)
        sentence_index = _SpanIndex(doc.sentences)
        clause_index: _SpanIndex | None = None  # built at the first trigger: most articles need it, some not
        out: list[Event] = []
        taken = {i for s in found for i in range(s.first, s.last) if s.actor and s.actor.entity}
        after = 0  # tokens before this belong to a trigger already read
        for i in self.triggers.starts(keys):
            if i < after or i in taken:
                continue
            hit = self.triggers.match_at(keys, i)
            if hit is None:
                continue
            end, trigs = hit
            trig = next((t for t in trigs if self._required(t, keys, end)), None)
            if trig is not None and not self._discussed(trig, keys, i):
                clause_index = clause_index or _SpanIndex(clauses(doc.text, doc.sentences))
                event = self._event(
                    doc, tokens, keys, starts, found, sentence_index, clause_index, i, end, trig
                )
                if event is not None:
                    out.append(event)
            after = end
        return tuple(merge_undated(out))

    def _discussed(self, trig: Trigger, keys: Sequence[str], i: int) -> bool:
        """Whether a verbal-noun trigger is the subject of a talk ("تطرق إلى الاشتباكات")."""
        return trig.pos == "noun" and any(
            k in self.words.discussion for k in keys[max(0, i - DISCUSSION_WINDOW) : i]
        )

    def _required(self, trig: Trigger, keys: Sequence[str], end: int) -> bool:
        return not trig.requires or any(k in trig.requires for k in keys[end : end + REQUIRES_WINDOW])

    def _event(
        self,
        doc: Document,
        tokens: Sequence[Token],
        keys: Sequence[str],
        starts: Sequence[int],
        found: Sequence[Slot],
        sentence_index: _SpanIndex,
        clause_index: _SpanIndex,
        i: int,
        end: int,
        trig: Trigger,
    ) -> Event | None:
        sent = sentence_index.at(tokens[i].start)
        clause = clause_index.at(tokens[i].start) or sent
        if sent is None or clause is None:
            return None
        lo, hi = bisect.bisect_left(starts, sent.start), bisect.bisect_left(starts, sent.end)
        around = [s for s in found if lo <= s.first < hi]
        speaker = _speaker_of(doc, tokens[i].start) if _first_person(tokens[i].text) else None
        source: ActorRef | None
        target: ActorRef | None
        if speaker is not None:  # «استقبلت …», «سنبدأ …»: the speaker says it of himself
            after = [s.actor for s in around if s.actor is not None and s.first >= end and not s.at_place]
            source, target = speaker, next((a for a in after if a.country != speaker.country), None)
        else:
            source, target = self._arguments(tokens, keys, around, i, end, trig)
        if not acceptable(trig.type, source, target, self.kb):
            return None
        context = self._context(doc, keys, tokens, i, lo)
        quoted = [(q.start, q.end) for q in doc.quotes if q.direct and not q.start <= tokens[i].start < q.end]
        rel = next(
            (t.start for t, k in zip(tokens[end:hi], keys[end:hi], strict=True) if k in self.words.relative),
            None,
        )
        if rel is not None:  # "… الزيارة التي بدأت الأحد": that date is the relative clause's
            quoted.append((rel, sent.end))
        date, date_source = self._date(doc.dates, clause, sent, doc.published, tokens[i].start, quoted)
        if (
            date
            and doc.published
            and date < (doc.published - dt.timedelta(days=HISTORICAL_DAYS)).isoformat()[:7]
        ):
            context.append("historical")
        return Event(
            type=trig.type,
            mode=trig.mode,
            context=tuple(context),
            source=source,
            target=target,
            location=self._location(doc, found, starts, clause, sent, end),
            date=date,
            date_source=date_source,
            evidence=sent,
        )

    def _arguments(
        self,
        tokens: Sequence[Token],
        keys: Sequence[str],
        slots_: Sequence[Slot],
        i: int,
        end: int,
        trig: Trigger,
    ) -> tuple[ActorRef | None, ActorRef | None]:
        actors = [a for a in slots_ if a.actor is not None and not a.at_place]
        before = [a for a in actors if a.last <= i]
        after = [a for a in actors if a.first >= end]
        if len(before) >= 2 and _joined(tokens, before[-2], before[-1]) and i - before[-1].last <= 2:
            return before[-2].actor, before[-1].actor  # "عقد علييف وبوتين لقاء"
        source_slot, target_slot = self._sides(tokens, keys, before, after, i, end, trig)
        if target_slot is None and trig.type == "CONSULT":  # "زيارة علييف إلى موسكو": Russia hosts
            target_slot = self._host(keys, slots_, end)
        if target_slot is not None and source_slot is not None and target_slot.key() == source_slot.key():
            target_slot = None
        return (source_slot.actor if source_slot else None), (target_slot.actor if target_slot else None)

    def _host(self, keys: Sequence[str], slots_: Sequence[Slot], end: int) -> Slot | None:
        """The country a visit goes to: "إلى موسكو" → Russia."""
        for a in slots_:
            if a.first >= end and a.place is not None and keys[a.first - 1] == "الي":
                if a.actor is not None:
                    return a
                city = self.kb.entities.get(a.place.id or "")
                country = self.kb.country(city.country if city else None)
                if country is not None:
                    ref = ActorRef(
                        text=a.place.name, entity=country.id, name=country.name, country=country.country
                    )
                    return Slot(a.first, a.last, ref, a.place)
        return None

    def _sides(
        self,
        tokens: Sequence[Token],
        keys: Sequence[str],
        before: Sequence[Slot],
        after: Sequence[Slot],
        i: int,
        end: int,
        trig: Trigger,
    ) -> tuple[Slot | None, Slot | None]:
        w = self.words
        partner = next((a for a in after if a.first > 0 and keys[a.first - 1] in w.together), None)
        for a in after:  # "محادثات بين X و Y", right after the trigger (and before any "مع Y")
            if partner is not None and partner.first < a.first:
                break
            if a.first > 0 and keys[a.first - 1] in w.between and a.first - end <= BETWEEN_GAP:
                rest = [b for b in after if b.first > a.first and b.key() != a.key()]
                return a, rest[0] if rest else None
        first = tokens[i]
        noun = trig.pos == "noun" or (
            trig.pos == "verb"
            and (
                {"ال", "ب", "ل"} & set(first.prefixes)
                or (i > 0 and keys[i - 1] in w.noun_cue)
                or (
                    end < len(tokens)
                    and "ل" in tokens[end].prefixes
                    and bool(after)
                    and after[0].first == end
                )
            )
        )  # "مع قصف القوات", "قصف للقوات": the verbal noun
        possessed = noun and tokens[end - 1].text.endswith(_POSSESSIVE)
        if possessed and before:
            source_slot: Slot | None = before[-1]  # "أكد علييف أهمية زيارته لمصر"
        elif noun and after and after[0].first == end and after[0] is not partner:
            source_slot = after[0]  # "زيارة بوتين", "غارة إسرائيلية"
        elif (
            before
            and not before[-1].adjective
            and (
                i - before[-1].last <= 1
                or (
                    i - before[-1].last <= SUBJECT_GAP
                    and before[-1].first > 0
                    and keys[before[-1].first - 1] in w.topic
                )
            )
        ):
            source_slot = before[-1]  # SVO: "علييف يشيد بدور بوتين", "أن القوات … المتمركزة في … قصفت"
        elif after and after[0].first - end <= 1 and not after[0].adjective and after[0] is not partner:
            source_slot = after[0]  # VSO: "استقبل الرئيس الأذربيجاني …"
        elif before and i - before[-1].last <= SUBJECT_GAP and not before[-1].adjective:
            source_slot = before[-1]  # SVO: "أن القوات الأرمنية المتمركزة في قرية زركند قصفت …"
        elif after and not after[0].adjective and after[0] is not partner:
            source_slot = after[0]
        elif before:
            source_slot = before[-1]
        else:
            source_slot = None
        rest = [
            a
            for a in after
            if source_slot is None or (a.first >= source_slot.last and a.key() != source_slot.key())
        ]
        target_slot = (
            partner if partner is not None and partner is not source_slot else (rest[0] if rest else None)
        )
        return source_slot, target_slot

    def _context(
        self, doc: Document, keys: Sequence[str], tokens: Sequence[Token], i: int, lo: int
    ) -> list[str]:
        w = self.words
        out: list[str] = []
        token = tokens[i]
        if "س" in token.prefixes or (i > 0 and keys[i - 1] in w.future):
            out.append("future")
        if self._negated(keys, i, lo):
            out.append("negated")
        if any(k in w.hypothetical for k in keys[lo:i]):
            out.append("hypothetical")
        if any(q.direct and q.start <= token.start < q.end for q in doc.quotes):
            out.append("reported")
        return out

    def _negated(self, keys: Sequence[str], i: int, lo: int) -> bool:
        """A negation within the two words before the trigger at ``i``, not counting words of
        existence right before it ("لم تكن هناك اشتباكات"), nor one that means "still"
        ("لا تزال")."""
        w = self.words
        end = i
        while end > lo and keys[end - 1] in w.existential:
            end -= 1
        return any(
            keys[j] in w.negation and (j + 1 >= len(keys) or keys[j + 1] not in w.continuing)
            for j in range(max(lo, end - 2), end)
        )

    def _date(
        self,
        dates: Sequence[DateMention],
        clause: Span,
        sent: Span,
        published: dt.date | None,
        at: int,
        quoted: Sequence[tuple[int, int]],
    ) -> tuple[str | None, str | None]:
        """The date nearest the trigger in its clause, then its sentence (not one inside another quote)."""
        for span in (clause, sent):
            near = [
                d for d in dates
                if d.value and span.start <= d.start < span.end and not any(a <= d.start < b for a, b in quoted)
            ]  # fmt: skip
            if near:
                return min(near, key=lambda d: abs(d.start - at)).value, "text"
        if published is not None:
            return published.isoformat(), "publication"
        return None, None

    def _location(
        self, doc: Document, found: Sequence[Slot], starts: Sequence[int], clause: Span, sent: Span, end: int
    ) -> Location | None:
        for span in (clause, sent):
            lo, hi = bisect.bisect_left(starts, span.start), bisect.bisect_left(starts, span.end)
            places = [s for s in found if s.place is not None and lo <= s.first < hi]
            if places:
                later = [s for s in places if s.first >= end]
                return (later or places)[0].place
        if doc.dateline:
            return Location(doc.dateline, self.places_by_name.get(doc.dateline))
        return None


_POSSESSIVE = ("ته", "تها", "تهم", "تهما", "ها", "هم")


def _first_person(word: str) -> bool:
    """A verb the speaker says of himself: "استقبلت", "أجرينا", "سنبدأ", "نعمل"."""
    bare = word.lstrip("وف")
    return bare.endswith(("ت", "نا")) or bare.startswith(("سن", "ن", "سأ"))


def _speaker_of(doc: Document, offset: int) -> ActorRef | None:
    """The named speaker of the direct quote around ``offset``, if any."""
    for q in doc.quotes:
        if q.direct and q.start <= offset < q.end and q.speaker is not None and q.speaker.country:
            return q.speaker
    return None


def _joined(tokens: Sequence[Token], a: Slot, b: Slot) -> bool:
    """Two actors joined by و: "علييف وبوتين"."""
    return a.last == b.first and "و" in tokens[b.first].prefixes


class _SpanIndex:
    """Sorted, non-overlapping spans (sentences, clauses), found by offset."""

    def __init__(self, spans: Sequence[Span]) -> None:
        self.spans = spans
        self.starts = [s.start for s in spans]

    def at(self, offset: int) -> Span | None:
        i = bisect.bisect_right(self.starts, offset) - 1
        return self.spans[i] if i >= 0 and offset < self.spans[i].end else None
