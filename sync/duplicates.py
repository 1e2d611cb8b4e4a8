"""Who is the same person: certain duplicates (merged) and probable ones (flagged for review).

Pure functions. Candidates are found by blocking, never by comparing all
pairs: two candidates are compared only when they share an e-mail, a phone
number, an address or a name key (the name's words sorted, so "Peeters Jan"
meets "Jan Peeters"). A pair is then judged on what it shares and on how
alike the names are:

- certain: same e-mail or same mobile number, and names alike (a typo,
  swapped first and last name, capitals, accents);
- probable: same e-mail or mobile with names only somewhat alike, same
  landline or same address with names alike, or the very same name in the
  same postcode with no e-mail or mobile that disagrees.

A household (one landline and address, different first names) and namesakes
(same name, nothing else shared) are neither.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from functools import lru_cache
from itertools import combinations, permutations

from rapidfuzz import fuzz
from rapidfuzz.distance import DamerauLevenshtein

from sheets_schema.answers import phone_text
from sheets_schema.i18n import N_, Phrases

from .normalise import Submission
from .words import task_text

# A block this big is not about one person (a care home's switchboard, a
# placeholder e-mail); comparing all its pairs would cost much and find little.
MAX_BLOCK = 60
# Requests for the same task by the same person this close together are one need.
SAME_NEED_WITHIN = timedelta(days=3)
_TOKEN_ALIKE = 0.75  # Damerau-Levenshtein similarity of two name words: one typo in a 4+ letter word
_TOKEN_SIMILAR = 0.5


# Which contact details a candidate has of its own, as bits: two namesakes who both have one kind and share
# none of it are two people.
_HAS_EMAIL, _HAS_MOBILE, _HAS_ADDRESS = 1, 2, 4


@dataclass(frozen=True, slots=True)
class Candidate:
    """Something that may be a duplicate: an existing row (its submissions) or one new submission.

    Blocking brings most candidates together with dozens of namesakes; what
    dismisses those pairs is worked out once here rather than per pair. Only
    small sets: a sync holds over 100,000 candidates, and every long-lived
    container makes Python's garbage collector work harder.
    """

    key: str
    submissions: Sequence[Submission]
    existing: bool = False
    open: bool = True  # requests: False once a coordinator matched, closed or cancelled it
    contacts: frozenset[object] = field(init=False, repr=False, compare=False)  # e-mails, phones, addresses
    postcodes: frozenset[str] = field(init=False, repr=False, compare=False)
    has: int = field(init=False, repr=False, compare=False)  # _HAS_* bits

    def __post_init__(self) -> None:
        contacts: set[object] = set()
        has = 0
        for s in self.submissions:
            if s.email:
                contacts.add(s.email)
                has |= _HAS_EMAIL
            if s.phone_kind:
                contacts.add(s.phone)
                has |= _HAS_MOBILE if s.phone_kind == "mobile" else 0
            if s.street_key and s.postcode:
                contacts.add((s.postcode, s.street_key))
                has |= _HAS_ADDRESS
        # Set the way a frozen dataclass sets its own fields.
        object.__setattr__(self, "contacts", frozenset(contacts))
        object.__setattr__(self, "postcodes", frozenset(s.postcode for s in self.submissions if s.postcode))
        object.__setattr__(self, "has", has)


@dataclass(frozen=True)
class Pair:
    """Two candidates judged to be the same person (or the same need), and why, in words."""

    a: str
    b: str
    certain: bool
    score: int  # how alike the names are, 0-100
    reason: str
    basis: str = ""  # what they share: "email", "mobile", "landline", "address" or "name"


@dataclass(frozen=True)
class NameLikeness:
    percent: int
    alike: bool  # every word matches up to a typo
    similar: bool  # every word roughly matches (or is an initial)


# Names are made of a few thousand words, compared millions of times: remember each pair of words.
@lru_cache(maxsize=1 << 16)
def _word_alike(a: str, b: str) -> bool:
    if a == b or (len(a) > 1 and sorted(a) == sorted(b)):  # equal, or two letters swapped
        return True
    return min(len(a), len(b)) >= 4 and DamerauLevenshtein.normalized_similarity(a, b) >= _TOKEN_ALIKE


@lru_cache(maxsize=1 << 16)
def _word_similar(a: str, b: str) -> bool:
    if _word_alike(a, b) or (min(len(a), len(b)) == 1 and a[0] == b[0]):
        return True
    return DamerauLevenshtein.normalized_similarity(a, b) >= _TOKEN_SIMILAR


def _aligned(short: tuple[str, ...], long: tuple[str, ...], test: Callable[[str, str], bool]) -> bool:
    """Whether each word of `short` matches a different word of `long`, in some order."""
    if len(long) <= 4:
        return any(all(test(a, b) for a, b in zip(short, order)) for order in permutations(long, len(short)))
    return all(test(a, b) for a, b in zip(sorted(short), sorted(long)))


def compare_names(a: tuple[str, ...], b: tuple[str, ...]) -> NameLikeness:
    """How alike two names are (their folded words), word order ignored."""
    if not a or not b:
        return NameLikeness(0, False, False)
    if sorted(a) == sorted(b) or "".join(a) == "".join(b):
        return NameLikeness(100, True, True)
    joined_a, joined_b = " ".join(a), " ".join(b)
    percent = fuzz.token_sort_ratio(joined_a, joined_b)
    if len(a) != len(b):
        percent = max(percent, fuzz.token_set_ratio(joined_a, joined_b))
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    # A lone word ("Peeters") says too little to call two people alike.
    alike = len(short) >= 2 and _aligned(short, long, _word_alike)
    similar = alike or (len(short) >= 2 and _aligned(short, long, _word_similar))
    return NameLikeness(round(percent), alike, similar)


def _best_names(a: Candidate, b: Candidate) -> NameLikeness:
    names_a = {s.name_tokens for s in a.submissions}
    names_b = {s.name_tokens for s in b.submissions}
    return max((compare_names(x, y) for x in names_a for y in names_b),
               key=lambda n: (n.alike, n.similar, n.percent), default=NameLikeness(0, False, False))


def _values(candidate: Candidate, field: str) -> set[str]:
    return {v for s in candidate.submissions if (v := getattr(s, field))}


def _phones(candidate: Candidate, kind: str) -> set[str]:
    return {s.phone for s in candidate.submissions if s.phone_kind == kind}


def _addresses(candidate: Candidate) -> dict[tuple[str, str], str]:
    return {(s.postcode, s.street_key): f"{s.street}, {s.postcode}"
            for s in candidate.submissions if s.street_key and s.postcode}


def _may_be_pair(a: Candidate, b: Candidate) -> bool:
    """False when no rule of `compare_people` can hold, however alike the names: nothing shared but
    the name (most pairs blocking finds), or only a postcode while each has a contact detail of its own."""
    return not a.contacts.isdisjoint(b.contacts) or (not a.postcodes.isdisjoint(b.postcodes) and not a.has & b.has)


# Why two rows may be one person or one need, in the team's language (invariant 9).
REASONS = Phrases({
    "alike": N_("names {percent}% alike"), "email": N_("same e-mail {value}"), "mobile": N_("same mobile {value}"),
    "landline": N_("same landline {value}"), "same_name": N_("same name"),
    "address": N_("{names} and same address {value}"),
    "name": N_("same name and postcode {value}, no other contact details"),
    "need": N_("{person}; both ask for {tasks}"),
})


def compare_people(a: Candidate, b: Candidate, language: str) -> Pair | None:
    """Whether two candidates are the same person: certainly, probably, or (None) not as far as we can tell."""
    if not _may_be_pair(a, b):
        return None
    names = _best_names(a, b)
    if not names.similar:
        return None
    say = REASONS.in_(language)
    alike = say["alike"].format(percent=names.percent)
    emails = sorted(_values(a, "email") & _values(b, "email"))
    mobiles = sorted(_phones(a, "mobile") & _phones(b, "mobile"))
    shared = (say["email"].format(value=emails[0]) if emails else
              say["mobile"].format(value=phone_text(mobiles[0])) if mobiles else "")
    if shared:
        # A household shares one e-mail address: with a different mobile each, it is two people
        # until a coordinator says otherwise, so a question, never a merge.
        two_mobiles = not mobiles and bool(_phones(a, "mobile")) and bool(_phones(b, "mobile"))
        return Pair(a.key, b.key, names.alike and not two_mobiles, names.percent, f"{shared}, {alike}",
                    "email" if emails else "mobile")
    if not names.alike:
        return None
    landlines = sorted(_phones(a, "fixed") & _phones(b, "fixed"))
    if landlines:
        return Pair(a.key, b.key, False, names.percent,
                    f"{say['landline'].format(value=phone_text(landlines[0]))}, {alike}", "landline")
    addresses_a, addresses_b = _addresses(a), _addresses(b)
    same_address = sorted(addresses_a.keys() & addresses_b.keys())
    same_name = say["same_name"] if names.percent == 100 else alike
    if same_address:
        return Pair(a.key, b.key, False, names.percent,
                    say["address"].format(names=same_name, value=addresses_a[same_address[0]]), "address")
    postcodes = sorted(a.postcodes & b.postcodes)
    # Namesakes: each has an e-mail, a mobile or an address of their own, and none is shared.
    if names.percent == 100 and postcodes and not a.has & b.has:
        return Pair(a.key, b.key, False, 100, say["name"].format(value=postcodes[0]), "name")
    return None


def _closest(a: Candidate, b: Candidate) -> timedelta | None:
    times_a = [s.submitted_at for s in a.submissions if s.submitted_at]
    times_b = [s.submitted_at for s in b.submissions if s.submitted_at]
    if not times_a or not times_b:
        return None
    return min(abs(x - y) for x in times_a for y in times_b)


def compare_requests(a: Candidate, b: Candidate, language: str) -> Pair | None:
    """Whether two requests are one need: the same person asking for the same task within a few days.

    A landline or an address shared by alike names is a question, as for
    people: a household shares both. A need a coordinator already matched or
    closed is never merged into: a new request for it is flagged instead (a
    follow-up call, or a new need).
    """
    person = compare_people(a, b, language)
    if person is None:
        return None
    tasks = sorted(_values_in_lists(a, "tasks") & _values_in_lists(b, "tasks"))
    gap = _closest(a, b)
    if not tasks or (gap is not None and gap > SAME_NEED_WITHIN):
        return None
    certain = person.certain and a.open and b.open
    reason = REASONS.in_(language)["need"].format(person=person.reason, tasks=task_text(tasks, language))
    return Pair(a.key, b.key, certain, person.score, reason, person.basis)


def _values_in_lists(candidate: Candidate, field: str) -> set[str]:
    return {v for s in candidate.submissions for v in getattr(s, field)}


def block_keys(candidate: Candidate) -> set[str]:
    """What a candidate is filed under; two candidates sharing a key are compared."""
    keys = set()
    for s in candidate.submissions:
        if s.email:
            keys.add("e:" + s.email)
        if s.phone_kind:
            keys.add("p:" + s.phone)
        if len(s.name_tokens) >= 2:
            keys.add("n:" + " ".join(sorted(s.name_tokens)))
        if s.street_key and s.postcode:
            keys.add(f"a:{s.postcode}:{s.street_key}")
    return keys


def blocks(candidates: Sequence[Candidate], new_only: bool = False) -> Iterator[list[int]]:
    """The candidates (their indices) under each blocking key, for keys worth comparing all pairs of.

    find_duplicates finds exactly the pairs it finds in each block alone (sync/remember.py relies on it).
    """
    blocks: dict[str, list[int]] = defaultdict(list)
    for index, candidate in enumerate(candidates):
        for key in block_keys(candidate):
            blocks[key].append(index)
    for members in blocks.values():
        if 2 <= len(members) <= MAX_BLOCK and not (new_only and all(candidates[m].existing for m in members)):
            yield members


def candidate_pairs(candidates: Sequence[Candidate], *, new_only: bool = False,
                    worth: Callable[[Candidate, Candidate], bool] = lambda a, b: True) -> Iterator[tuple[int, int]]:
    """Index pairs of candidates that share a blocking key and are `worth` comparing, each pair once.

    The many pairs `worth` dismisses are dismissed before they are remembered as seen.
    """
    seen: set[tuple[int, int]] = set()
    for members in blocks(candidates, new_only):
        for i, j in combinations(members, 2):
            a, b = candidates[i], candidates[j]
            if (new_only and a.existing and b.existing) or not worth(a, b) or (i, j) in seen:
                continue
            seen.add((i, j))
            yield i, j


def find_duplicates(candidates: Sequence[Candidate], form: str, language: str, *,
                    new_only: bool = False) -> list[Pair]:
    """Every pair of candidates judged the same person ("offer") or the same need ("request").

    `new_only` leaves out pairs of two existing rows, for a caller that could
    not act on them anyway (rows are merged only on a coordinator's word).
    """
    if new_only and all(c.existing for c in candidates):
        return []
    compare = compare_requests if form == "request" else compare_people
    pairs = []
    for i, j in candidate_pairs(candidates, new_only=new_only, worth=_may_be_pair):
        # Always one way round, whatever order the rows come in (a sort of an intake tab changes it):
        # a reason quotes the address as the first of the two gave it.
        a, b = sorted((candidates[i], candidates[j]), key=lambda c: c.key)
        if (pair := compare(a, b, language)) is not None:
            pairs.append(pair)
    return pairs
