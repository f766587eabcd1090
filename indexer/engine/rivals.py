"""Near-identical rivals: of two near-duplicate candidates (indexer/engine/duplicates.py), the one whose
own words (the query terms the other lacks) match the query better ranks first.

Two posts of one brigade about two similar call-outs, or a report and its follow-up, share most
of their text; BM25 then decides by length and repetition, which says nothing about which one the
query means. What tells them apart is what only one of them contains. Knows nothing of Whoosh.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from indexer.engine.duplicates import NEAR_DUPLICATE, shingles

RIVAL_DEPTH = 10  # near-duplicates are looked for among this many best candidates


def own_weight(mine: Mapping[int, float], theirs: Mapping[int, float]) -> float:
    """How much better one candidate matches the query's words than its rival: per word (its
    strength in a candidate is the weight of the best of its terms there: the word as typed
    beats a synonym), what the one has beyond the other."""
    return sum(max(0.0, strength - theirs.get(word, 0.0)) for word, strength in mine.items())


def near_duplicates(first: set[int], second: set[int]) -> bool:
    smaller = min(len(first), len(second))
    return bool(smaller) and len(first & second) / smaller >= NEAR_DUPLICATE


def rivals_resolved(
    bodies: Sequence[str], matched: Sequence[Mapping[int, float]], tiers: Sequence[int] = ()
) -> list[int]:
    """The order (indexes into bodies, best first) after each near-duplicate pair is settled by
    its own matched terms: a lower candidate whose own terms weigh more moves just above its
    rival. Only rivals of one tier (as many of the query's words) are compared; candidates
    without a near-duplicate keep their places."""
    tiers = list(tiers) or [0] * len(bodies)
    order = list(range(len(bodies)))
    prints = [shingles(body) for body in bodies]
    for low in range(1, len(order)):
        candidate = order[low]
        for high in range(low):
            rival = order[high]
            if tiers[rival] != tiers[candidate]:
                continue
            if own_weight(matched[candidate], matched[rival]) <= own_weight(
                matched[rival], matched[candidate]
            ):
                continue
            if near_duplicates(prints[candidate], prints[rival]):
                order.insert(high, order.pop(low))
                break
    return order
