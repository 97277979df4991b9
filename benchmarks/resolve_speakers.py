"""Benchmark corpus-wide speaker resolution on generated speaker mentions (issue 4).

Generates SpeakerRefs (one per article and speaker, the resolver's input) for people with
Arabic names, spelled the way English news spells them, then resolves them and prints time,
peak memory and pairwise precision/recall against the generator's truth.

The generator works from phonemes, not from quotetrack's own folding rules: each name is a
phoneme string (given names from a list, surnames built from three-consonant roots and
Arabic noun patterns, so unrelated people can share or nearly share a surname), and each
article spells each name with its own house style (q as q/k/g, dh as dh/d/z/th, ou/u/o,
ie/ei/ai/y, doubled or single consonants, al-/el-/ad-D.../no article, ta marbuta -a/-ah/-eh,
Egyptian g for j, ...), plus 1% typos. Articles name a person in full, with an initial, with
the middle name, or by the bare surname. Seeded: the same arguments give the same corpus.

usage: python benchmarks/resolve_speakers.py [--mentions 200000] [--people 30000] [--seed 4]
"""

from __future__ import annotations

import argparse
import itertools
import random
import re
import resource
import time
from collections import Counter

from quotetrack.names import parse_name
from quotetrack.resolve import resolve_speakers
from quotetrack.types import SpeakerRef

# Given names as phonemes: H S D T Z are the emphatics/ح, ' is ʿayn, doubled letters geminate.
GIVEN = """muHammad maHmuud aHmad Haamid khaalid khaliifa faayiz muSTafaa qaasim Taahir
'aadil 'aliy 'umar 'uthmaan yuusuf ibraahiim Hasan Husayn 'abdallaah 'abd_al-'aziiz
'abd_al-kaafiy 'abd_al-Hamiid 'abd_al-qaadir 'abd_al-raHmaan salaaH saalim sa'iid sayyid
naaSir nabiil jamaal kamaal majdiy mu'ammar 'ammaar marwaan waliid ziyaad bashiir raashid
fathiy Tawfiiq 'iSaam hishaam usaama Hamza jibriil idriis sulaymaan fawziy ramaDaan
'iimaan faaTima aamina khadiija zaynab maryam layla nuura salwa huda""".split()
FREQUENT_GIVEN = 12  # the first names are far more common than the rest

PATTERNS = [
    "1a2aa3",
    "1a2ii3",
    "1aa2i3",
    "1a22aa3",
    "1a23ii",
    "1a2aa3ii",
    "mu1a22i3",
    "1u2ay3",
    "1a23uu3",
    "1i23aa3",
    "1a2a3ii",
    "ma12uu3",
    "1a2iiy",
    "1a2aa3a",
]
ROOT_CONSONANTS = "b t th j H kh d dh r z s sh S D T Z ' gh f q k l m n h w y".split()

# phoneme -> (spelling, weight) choices; an article picks one per phoneme and name
SPELLINGS = {
    "q": [("q", 5), ("k", 2), ("g", 2)],
    "dh": [("dh", 5), ("d", 3), ("z", 1), ("th", 1)],
    "th": [("th", 6), ("t", 1), ("s", 1)],
    "Z": [("z", 4), ("dh", 2), ("th", 1)],
    "D": [("d", 6), ("dh", 1)],
    "j": [("j", 8), ("g", 1), ("dj", 1)],
    "sh": [("sh", 9), ("ch", 1)],
    "kh": [("kh", 1)],
    "gh": [("gh", 1)],
    "H": [("h", 1)],
    "S": [("s", 1)],
    "T": [("t", 1)],
    "'": [("", 6), ("'", 1)],
    "a": [("a", 17), ("e", 3)],
    "i": [("i", 6), ("e", 4)],
    "u": [("u", 5), ("o", 4), ("ou", 1)],
    "aa": [("a", 8), ("aa", 2)],
    "ii": [("i", 6), ("ee", 2), ("ie", 1)],
    "uu": [("ou", 4), ("u", 4), ("oo", 2)],
    "ay": [("ay", 4), ("ai", 2), ("ei", 3), ("ey", 1)],
    "aw": [("aw", 5), ("ou", 3), ("au", 2)],
    "iy": [("i", 5), ("y", 3), ("ie", 1)],
    "w": [("w", 9), ("ou", 1)],
    "y": [("y", 1)],
}
PHONEME = re.compile(r"kh|sh|th|dh|gh|aa|ii|uu|ay|aw|iy|[a-zA-Z']")
SUN = set("t th d dh r z s sh S D T Z l n".split())


def weighted(rng: random.Random, choices: list[tuple[str, int]]) -> str:
    return rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]


def make_surnames(rng: random.Random, count: int) -> list[str]:
    """Distinct surname phoneme strings from random roots and noun patterns."""
    names: set[str] = set()
    while len(names) < count:
        root = rng.sample(ROOT_CONSONANTS, 3)
        pattern = rng.choice(PATTERNS)
        names.add("".join(root[int(ch) - 1] if ch.isdigit() else ch for ch in pattern))
    ordered = sorted(names)
    rng.shuffle(ordered)
    return ordered


def spell_word(word: str, style: dict[str, str], rng: random.Random) -> str:
    """Spell one phoneme word in an article's house style (ta marbuta and gemination too)."""
    phonemes = PHONEME.findall(word)
    out = []
    for i, ph in enumerate(phonemes):
        if i and ph == phonemes[i - 1] and ph not in "aiu":  # geminate: doubled or not
            out.append(out[-1][-1:] if style["double"] else "")
            continue
        if ph not in style:
            style[ph] = weighted(rng, SPELLINGS.get(ph, [(ph.lower(), 1)]))
        out.append(style[ph])
    text = "".join(out)
    if phonemes and phonemes[-1] == "a" and style["marbuta"]:
        text += "h"
    if rng.random() < 0.01 and len(text) > 4:  # a typo: a letter dropped
        cut = rng.randrange(1, len(text))
        text = text[: cut - 1] + text[cut:]
    return re.sub(r"[a-z]", lambda m: m.group().upper(), text, count=1)


def spell_surname(word: str, style: dict[str, str], rng: random.Random) -> str:
    """A surname with the article as the house style writes it."""
    body = spell_word(word, style, rng)
    article = style["article"]
    first = PHONEME.findall(word)[0]
    if article == "al-" and first in SUN and style["assimilate"]:
        return f"a{body[0].lower()}-{body}" if body else body
    return {"al-": f"al-{body}", "Al-": f"Al-{body}", "el-": f"el-{body}", "Al ": f"Al {body}", "": body}[article]


def spell_given(word: str, style: dict[str, str], rng: random.Random) -> str:
    if word.startswith("'abd_al-"):  # 'Abd al-X: Abdul Kafi / Abd al-Kafi / Abdelkafi
        rest = spell_word(word[len("'abd_al-") :], style, rng)
        form = style.setdefault("abd", rng.choice(["Abdul {}", "Abd al-{}", "Abdel{}", "Abdel {}"]))
        return form.format(rest if " " in form or "-" in form else rest.lower())
    return spell_word(word, style, rng)


def house_style(rng: random.Random) -> dict:
    return {
        "double": rng.random() < 0.7,
        "marbuta": rng.random() < 0.3,
        "assimilate": rng.random() < 0.2,
        "article": rng.choices(["al-", "Al-", "el-", "Al ", ""], weights=[4, 3, 1, 1, 2])[0],
    }


def generate(mentions: int, people: int, seed: int) -> tuple[list[SpeakerRef], list[int]]:
    """``mentions`` refs and, for each, the index of the person it names."""
    rng = random.Random(seed)
    surnames = make_surnames(rng, people)
    weights = [8 if i < FREQUENT_GIVEN else 1 for i in range(len(GIVEN))]
    persons: set[tuple[str, str | None, str]] = set()
    while len(persons) < people:
        given = rng.choices(GIVEN, weights=weights)[0]
        middle = rng.choice(GIVEN) if rng.random() < 0.2 else None
        # skewed: some families have many members in the news
        persons.add((given, middle, surnames[int(people * rng.random() ** 2)]))
    people_list = sorted(persons, key=lambda p: (p[2], p[0], p[1] or ""))
    rng.shuffle(people_list)  # popularity rank is independent of the name
    popularity = list(itertools.accumulate(1 / (rank + 1) ** 0.9 for rank in range(people)))
    refs, truth = [], []
    article = 0
    while len(refs) < mentions:
        article += 1
        style = house_style(rng)
        chosen = set(rng.choices(range(people), cum_weights=popularity, k=rng.randint(1, 6)))
        for person in sorted(chosen):
            given, middle, surname = people_list[person]
            first, last = spell_given(given, style, rng), spell_surname(surname, style, rng)
            form = rng.choices(["full", "middle", "initial", "bare"], weights=[70, 8, 4, 18])[0]
            if form == "middle" and middle:
                name = f"{first} {spell_given(middle, style, rng)} {last}"
            elif form == "initial":
                name = f"{first.lstrip(chr(39))[0]}. {last}"
            elif form == "bare":
                name = last
            else:
                name = f"{first} {last}"
            refs.append(
                SpeakerRef(
                    article_id=f"art-{article}",
                    name=name,
                    speaker_type="person",
                    aliases=[name, last],
                    quotes=rng.randint(1, 3),
                )
            )
            truth.append(person)
    return refs[:mentions], truth[:mentions]


def pairwise(predicted: list[str], truth: list[int]) -> tuple[float, float]:
    """Pairwise precision and recall of a clustering, from cluster-size counts."""

    def pairs(counter: Counter) -> int:
        return sum(n * (n - 1) // 2 for n in counter.values())

    both = pairs(Counter(zip(predicted, truth)))
    return both / (pairs(Counter(predicted)) or 1), both / (pairs(Counter(truth)) or 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mentions", type=int, default=200_000)
    parser.add_argument("--people", type=int, default=30_000)
    parser.add_argument("--seed", type=int, default=4)
    args = parser.parse_args()

    start = time.perf_counter()
    refs, truth = generate(args.mentions, args.people, args.seed)
    generated, cpu = time.perf_counter(), time.process_time()
    resolution = resolve_speakers(refs)
    resolved, cpu = time.perf_counter(), time.process_time() - cpu
    predicted = [resolution.speaker_for(ref.article_id, ref.name).id for ref in refs]
    precision, recall = pairwise(predicted, truth)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    spellings = len({ref.name for ref in refs})
    print(
        f"mentions {len(refs):,} ({spellings:,} distinct spellings) of {len(set(truth)):,} "
        f"people in {len({r.article_id for r in refs}):,} articles; seed {args.seed}"
    )
    print(
        f"generate {generated - start:.1f} s   resolve {resolved - generated:.1f} s "
        f"(CPU {cpu:.1f} s)   peak memory {peak_mb:,.0f} MB (whole process)"
    )
    print(f"speakers {len(resolution.speakers):,}   pairwise precision {precision:.4f}   recall {recall:.4f}")
    # bare surnames and initials shared by several people stay apart by design: recall
    # among the mentions that give a full name shows the variant matcher alone
    full = [i for i, ref in enumerate(refs) if _is_full(ref.name)]
    precision, recall = pairwise([predicted[i] for i in full], [truth[i] for i in full])
    print(f"full-name mentions only ({len(full):,}): pairwise precision {precision:.4f}   recall {recall:.4f}")


def _is_full(name: str) -> bool:
    parts = parse_name(name).parts
    return len(parts) > 1 and all(len(part) > 1 for part in parts)


if __name__ == "__main__":
    main()
