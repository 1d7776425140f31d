"""A 64-bit SimHash over word shingles: syndicated copies of a text land within a few bits.

Stored as four 16-bit bands (`simhash_bands`): two fingerprints at most 3 bits apart share
at least one band exactly, so candidates are found with an indexed lookup and then checked
by Hamming distance.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np

SHINGLE_WORDS = 3
NEAR_DUPLICATE_BITS = 3
BANDS = 4
_WORD = re.compile(r"\w+")


def simhash(text: str) -> int:
    """Unsigned 64-bit SimHash of the text's word 3-grams (case-insensitive)."""
    words = _WORD.findall(text.casefold())
    shingles = [
        " ".join(words[index : index + SHINGLE_WORDS])
        for index in range(max(1, len(words) - SHINGLE_WORDS + 1))
    ]
    digests = b"".join(
        hashlib.blake2b(shingle.encode(), digest_size=8).digest() for shingle in shingles
    )
    # One row of 64 bits per shingle hash, bit i of the hash in column i; a bit of the
    # fingerprint is set where more than half of the shingle hashes have it set.
    values = np.frombuffer(digests, dtype=">u8").astype("<u8")
    bits = np.unpackbits(values.view(np.uint8).reshape(-1, 8), axis=1, bitorder="little")
    ones = bits.sum(axis=0, dtype=np.int64)
    return sum(1 << bit for bit in range(64) if 2 * int(ones[bit]) > len(shingles))


def to_signed(value: int) -> int:
    """The unsigned fingerprint as a signed 64-bit integer (for BIGINT columns)."""
    return value - (1 << 64) if value >= 1 << 63 else value


def to_unsigned(value: int) -> int:
    """Inverse of `to_signed`."""
    return value + (1 << 64) if value < 0 else value


def bands(value: int) -> list[int]:
    """The four 16-bit bands of an unsigned fingerprint, lowest first."""
    return [(value >> (16 * band)) & 0xFFFF for band in range(BANDS)]


def distance(first: int, second: int) -> int:
    """Hamming distance between two unsigned fingerprints."""
    return (first ^ second).bit_count()
