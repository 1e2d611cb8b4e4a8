"""What reading one phone number costs: the floor under normalising 100,000 sign-ups.

    .venv/bin/python bench/phones.py [--numbers 20000]

The sync reads every phone number once per process (sheets_schema.answers.read_phone,
cached): a parse, its type (mobile or fixed, and whether it is valid at all), and
two formats (E.164 for keys, national for people). Numbers are Belgian mobiles written
the ways the generator writes them (0470 12 34 56, +32 470..., 0032...), all distinct,
as a first sync meets them. Reports microseconds per number for each step.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import phonenumbers
from phonenumbers import PhoneNumberFormat

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sheets_schema.answers import read_phone  # noqa: E402


def _numbers(count: int) -> list[str]:
    rnd = random.Random(3)
    digits = {f"47{rnd.randrange(10 ** 7):07d}" for _ in range(count * 2)}
    spellings = (lambda d: f"0{d[:3]} {d[3:5]} {d[5:7]} {d[7:]}", lambda d: f"+32 {d}", lambda d: f"0032{d}")
    return [rnd.choice(spellings)(d) for d in sorted(digits)[:count]]


def _each(label: str, items: Sequence, step: Callable) -> None:
    started = time.perf_counter()
    for item in items:
        step(item)
    print(f"  {label:<28} {(time.perf_counter() - started) / len(items) * 1e6:6.1f} µs per number")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--numbers", type=int, default=20_000)
    texts = _numbers(parser.parse_args().numbers)
    parsed = [phonenumbers.parse(text, "BE") for text in texts]
    print(f"{len(texts):,} distinct Belgian mobile numbers, phonenumbers {phonenumbers.__version__}")
    _each("parse", texts, lambda text: phonenumbers.parse(text, "BE"))
    _each("number type", parsed, phonenumbers.number_type)
    _each("format, national", parsed, lambda number: phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL))
    _each("format, E.164", parsed, lambda number: phonenumbers.format_number(number, PhoneNumberFormat.E164))
    _each("read_phone (all of it)", texts, read_phone)


if __name__ == "__main__":
    main()
