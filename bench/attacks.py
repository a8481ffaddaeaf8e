"""Hostile-input classes for the command line (docs/reliability.md).

Each class is a function ``(rng, n) -> list of (name, bytes)`` making ``n`` case documents of one
kind of attack.  ``tests/test_attacks.py`` runs a few of each class in CI;
``bench/bench_attacks.py``
runs many through the real ``negotiator`` binary with a time and memory watch and prints the
outcome table.  Outcomes: ``doc-err`` (exit 2, one line on stderr), ``ok`` (exit 0 or 1),
``internal`` (exit 70), ``hang`` (killed at the time limit), ``memory`` (peak RSS above the
limit), ``signal`` (killed by a signal) or ``traceback`` (a Python traceback on stderr).
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable

Attack = Callable[[random.Random, int], list[tuple[str, bytes]]]

BASE_LOAN = {
    "lender_name": "某网贷",
    "lender_type": "microloan",
    "principal": "1000",
    "outstanding": "1000",
    "overdue_since": "2026-01-01",
}


def base_case() -> dict[str, object]:
    return {
        "as_of": "2026-11-20",
        "borrower": {"monthly_income": "3000"},
        "loans": [dict(BASE_LOAN)],
    }


def _json(doc: object) -> bytes:
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


def random_bytes(rng: random.Random, n: int) -> list[tuple[str, bytes]]:
    sizes = [0, 1, 7, 100, 4096, 65536]
    return [(f"bytes-{i}", rng.randbytes(sizes[i % len(sizes)])) for i in range(n)]


def truncated(rng: random.Random, n: int) -> list[tuple[str, bytes]]:
    doc = _json(base_case())
    return [(f"cut-{i}", doc[: rng.randrange(len(doc))]) for i in range(n)]


def encodings(rng: random.Random, n: int) -> list[tuple[str, bytes]]:
    text = json.dumps(base_case(), ensure_ascii=False)
    forms = [
        text.encode("gbk"),
        text.encode("utf-16"),
        text.encode("utf-32"),
        b"\xef\xbb\xbf" + text.encode(),
        b"\xef\xbb\xbf\xef\xbb\xbf" + text.encode(),
        text.replace("\n", "\r").encode(),
        text.replace("某网贷", "x\\ud800").encode(),
        text.replace("某网贷", "x\\udc80").encode(),
    ]
    return [(f"enc-{i}", forms[i % len(forms)]) for i in range(n)]


def numbers(rng: random.Random, n: int) -> list[tuple[str, bytes]]:
    values = [
        "NaN",
        "Infinity",
        "1e400",
        "-0",
        "1" * 5000,
        "0x10",
        "1e5",
        "１２３",
        "12,34",
        "1,,,0",
        "+5",
        "-5",
        "0.001",
        "10000000000000",
        "٣",
    ]
    out = []
    for i in range(n):
        doc = base_case()
        doc["loans"][0]["outstanding"] = rng.choice(values)  # type: ignore[index]
        out.append((f"num-{i}", _json(doc)))
    return out


def dates(rng: random.Random, n: int) -> list[tuple[str, bytes]]:
    values = [
        "0001-01-01",
        "9999-12-31",
        "2026-02-30",
        "2026-W01",
        "1899-12-31",
        "3000-01-01",
        "2026-1-1",
        "",
    ]
    fields = ["as_of", "overdue_since", "contract_date"]
    out = []
    for i in range(n):
        doc = base_case()
        field, value = rng.choice(fields), rng.choice(values)
        if field == "as_of":
            doc["as_of"] = value
        else:
            doc["loans"][0][field] = value  # type: ignore[index]
        doc["agreement"] = {
            "form": "paper",
            "instalments": [{"due": "2026-12-20", "amount": "500"}],
        }
        out.append((f"date-{i}", _json(doc)))
    return out


def text_payloads(rng: random.Random, n: int) -> list[tuple[str, bytes]]:
    payloads = [
        "\x1b[31mred",
        "\u202eevil",
        "a\rb",
        "a\x07b",
        "\u200b",
        "   ",
        "x" * 100_000,
        "\u2028",
        "😀" * 50,
        "e" + "\u0301" * 1000,
        "<script>x</script>",
        "{{ 7*7 }}",
        "王晓明\n---",
    ]
    out = []
    for i in range(n):
        doc = base_case()
        doc["borrower"]["name"] = rng.choice(payloads)  # type: ignore[index]
        out.append((f"text-{i}", _json(doc)))
    return out


def structure(rng: random.Random, n: int) -> list[tuple[str, bytes]]:
    docs: list[object] = [
        [],
        "x",
        5,
        None,
        {"loans": []},
        {"borrower": {}},
        {"borrower": [], "loans": [1]},
        {"borrower": {}, "loans": [{"a": 1}]},
        {"borrower": {"110105199003071239": 1}, "loans": [BASE_LOAN]},
        {"borrower": {}, "loans": [BASE_LOAN, dict(BASE_LOAN, id="L1")]},
    ]
    return [(f"struct-{i}", _json(docs[i % len(docs)])) for i in range(n)]


def nesting(rng: random.Random, n: int) -> list[tuple[str, bytes]]:
    forms = [
        b"[" * 100_000 + b"]" * 100_000,
        b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
        b"a = " + b"[" * 10_000 + b"]" * 10_000 + b"\n",
        b"a" + b".a" * 20_000 + b" = 1\n",
        b"[" + b"a." * 5_000 + b"a]\nx = 1\n",
    ]
    return [(f"nest-{i}", forms[i % len(forms)]) for i in range(n)]


def sizes(rng: random.Random, n: int) -> list[tuple[str, bytes]]:
    forms = []
    doc = base_case()
    doc["loans"][0]["term_months"] = 10**7  # type: ignore[index]
    forms.append(_json(doc))
    doc = base_case()
    doc["loans"] = [dict(BASE_LOAN) for _ in range(3000)]
    forms.append(_json(doc))
    doc = base_case()
    doc["loans"][0]["schedule"] = [  # type: ignore[index]
        {"due": "2026-01-01", "amount": "1"} for _ in range(50_000)
    ]
    forms.append(_json(doc))
    forms.append(b"#" * 6_000_000)
    return [(f"size-{i}", forms[i % len(forms)]) for i in range(n)]


ATTACKS: dict[str, Attack] = {
    "random bytes": random_bytes,
    "truncated": truncated,
    "encodings": encodings,
    "numbers": numbers,
    "dates": dates,
    "text payloads": text_payloads,
    "structure": structure,
    "nesting": nesting,
    "sizes": sizes,
}
