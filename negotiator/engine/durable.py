"""The durable-rules evaluator — the only module in negotiator that imports durable-rules.

durable-rules 2.0.28 is fast at matching but crashes, hangs or answers wrongly outside a narrow
subset (see docs/engine.md).  This module keeps it inside that subset:

* Rules come only from a validated :class:`~negotiator.ruleset.loader.RuleSet`: one fact per rule, a
  positive ``kind`` test first, alpha comparisons against literals of the field's own type,
  ``$ex``/``$nex`` only inside that kind test; no joins, no negation, no events, no timers, no
  arithmetic, no regular expressions.  Nothing else can be expressed in a rule file.
* Facts reach it only through :func:`~negotiator.engine.base.prepare_facts`: flat, typed (int
  fen, int ppm, bool, closed-set words), a case-unique id of letters, digits, ``_.-``, no None,
  no float, no Decimal.
* It never uses the ``Host`` runtime: no background threads, no Python action callbacks inside
  the engine.  The ruleset is created through the C API and activations are drained by hand.
* Per case, under a lock: a sentinel fact is asserted and its activation drained first (so that
  deleting the session is safe), then all the case's facts in one batch, then the activations
  are drained whatever the batch's return code, and the session is always deleted.  Activations
  are collected in a set, so an ``$or`` that is true on several branches counts once.
* Any error the engine raises becomes :class:`~negotiator.errors.EngineError`.

Cost (docs/performance.md): the engine's matching is cheap; what costs is moving data across
the C boundary.  So the batch carries only the facts and fields the rules can read (a kind no
rule reads is not sent; a field no rule tests is not sent: neither can change a match), it is
serialised in one call by orjson (strict about integers) with the session id already in each
record, and an activation's rule and fact id are read straight from the engine's message text
instead of parsing the whole matched fact (with a full JSON parse for any other shape).  The
engine allocates and clears about 9 KB per rule for every session; a process that evaluates
prepared facts back to back can call :func:`tune_allocator` so that this memory stays in the C
heap between cases (the batch workers do).
"""

from __future__ import annotations

import itertools
import json
import os
import platform
import sys
import threading
from collections.abc import Sequence
from typing import Any, ClassVar

import orjson

from ..errors import EngineError
from ..ruleset.loader import All, Any_, Condition, RuleSet, Test, load_rules
from . import _durable_rules_engine as _dre  # the engine, built from vendor/durable_rules
from .base import SENTINEL_KIND, Activation, EngineFact, EngineFacts, fields_read

__all__ = ["DurableEvaluator", "allocator_thresholds", "compile_rules", "tune_allocator"]

_SENTINEL_RULE = "__sentinel"
_SENTINEL = '{"sid":"%s","id":"__s","kind":"' + SENTINEL_KIND + '"}'
_SLOT = '":{"m":{'
_HEAD = '{"kind":'
#: Compact UTF-8 JSON; integers beyond ±2**53 raise (``orjson.JSONEncodeError``, a TypeError).
_ORJSON = orjson.OPT_STRICT_INTEGER
#: What a ``None``, NaN or infinity becomes in orjson's output.  Checked facts carry none of
#: them, and no id or enum word can contain a colon, so this only appears if a record was
#: altered after checking.
_NULL = b":null"
_OPS = {"!=": "$neq", "<": "$lt", "<=": "$lte", ">": "$gt", ">=": "$gte"}
_names = itertools.count(1)

#: Bytes the engine allocates per rule for every session (one ``betaStateNode``: two 512-slot
#: index tables of 8 bytes a slot, plus pool headers), rounded up.
SESSION_BYTES_PER_RULE = 9_000
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3
_tuned_bytes = 0
_tune_lock = threading.Lock()


def allocator_thresholds(rules: int) -> tuple[int, int]:
    """(mmap threshold, trim threshold) in bytes for a rule set of ``rules`` rules.

    A session's per-rule tables must come from the heap and stay there between cases: the mmap
    threshold is twice their size (at least 4 MiB, at most glibc's own ceiling of 32 MiB) and
    the trim threshold twice that, which is the ratio glibc itself keeps when it adapts.
    """
    mmap = min(max(2 * rules * SESSION_BYTES_PER_RULE, 4 << 20), 32 << 20)
    return mmap, 2 * mmap


def tune_allocator(rules: int) -> bool:
    """Keep the engine's per-session memory in the C heap between cases (glibc only; opt-in).

    Every case opens a session whose per-rule tables (about 9 KB a rule) are allocated, cleared
    and freed again.  When evaluations run back to back with little else allocated in between,
    glibc hands that memory back to the operating system after each case and faults it in
    afresh for the next, which doubles the time of an evaluation (docs/performance.md).  Raising
    glibc's mmap and trim thresholds (``mallopt``) keeps it in the heap; the process then holds
    at most the trim threshold of free heap (8 MiB for a few hundred rules).  This changes a
    process-wide setting, so the library never does it on its own: the batch workers and the
    benchmarks call it.  Nothing is done when ``NEGOTIATOR_MALLOC_TUNING=0``, when the user set
    ``MALLOC_MMAP_THRESHOLD_`` / ``MALLOC_TRIM_THRESHOLD_`` (their choice stands), or off glibc.
    Returns whether the thresholds are in place.
    """
    global _tuned_bytes
    if os.environ.get("NEGOTIATOR_MALLOC_TUNING", "1") == "0":
        return False
    if "MALLOC_MMAP_THRESHOLD_" in os.environ or "MALLOC_TRIM_THRESHOLD_" in os.environ:
        return False
    if not sys.platform.startswith("linux") or platform.libc_ver()[0] != "glibc":
        return False
    mmap, trim = allocator_thresholds(rules)
    with _tune_lock:
        if mmap <= _tuned_bytes:
            return True
        try:
            import ctypes

            mallopt = ctypes.CDLL(None).mallopt
        except (OSError, AttributeError):  # pragma: no cover - not glibc after all
            return False
        if not (mallopt(_M_MMAP_THRESHOLD, mmap) and mallopt(_M_TRIM_THRESHOLD, trim)):
            return False  # pragma: no cover - glibc refused the values
        _tuned_bytes = mmap
        return True


def _compile(cond: Condition) -> dict[str, Any]:
    if isinstance(cond, Test):
        if cond.op == "==":
            return {cond.field: cond.value}
        if cond.op == "exists":
            return {"$ex": {cond.field: 1}}
        if cond.op == "missing":
            return {"$nex": {cond.field: 1}}
        return {_OPS[cond.op]: {cond.field: cond.value}}
    if isinstance(cond, All):
        return {"$and": [_compile(c) for c in cond.items]}
    if isinstance(cond, Any_):
        return {"$or": [_compile(c) for c in cond.items]}
    raise TypeError(f"not a condition: {cond!r}")


def compile_rules(ruleset: RuleSet) -> dict[str, Any]:
    """The engine's JSON rule definition for a validated rule set (plus the sentinel rule)."""
    out: dict[str, Any] = {_SENTINEL_RULE: {"all": [{"m": {"kind": SENTINEL_KIND}}]}}
    for rule in ruleset.rules:
        out[rule.id] = {"all": [{"m": {"$and": [{"kind": rule.about}, _compile(rule.when)]}}]}
    return out


class DurableEvaluator:
    """Evaluates a rule set with durable-rules; one instance per process is enough."""

    name = "durable"
    _shared: ClassVar[DurableEvaluator | None] = None
    _shared_lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, ruleset: RuleSet) -> None:
        self.ruleset = ruleset
        self._lock = threading.Lock()
        self._sids = itertools.count(1)
        self._read = fields_read(ruleset)
        self._whole = frozenset(
            kind
            for kind, fields in self._read.items()
            if kind in ruleset.kinds and fields >= set(ruleset.kinds[kind].fields)
        )
        definition = json.dumps(compile_rules(ruleset), ensure_ascii=False, allow_nan=False)
        try:
            self._handle = _dre.create_ruleset(f"negotiator{next(_names)}", definition)
        except Exception as exc:  # the engine raises bare Exceptions
            raise EngineError(f"the rules engine refused the rule set: {exc}") from None

    @classmethod
    def shared(cls) -> DurableEvaluator:
        with cls._shared_lock:
            if cls._shared is None:
                cls._shared = cls(load_rules())
            return cls._shared

    def _drain(self, state_handle: int, fired: set[tuple[str, str]]) -> None:
        result = _dre.start_action_for_state(self._handle, state_handle)
        message = result[1] if result else None
        while message:
            fired.add(_activation(message))
            message = _dre.complete_and_start_action(self._handle, state_handle)

    def _batch(self, sid: str, facts: EngineFacts) -> str | None:
        """The case's facts as the engine's JSON batch: only what the rules can read.

        Facts that ``prepare_facts`` pruned for this rule set are encoded as they are; others
        are pruned here (a kind no rule reads is left out, other records are copied without
        the fields no rule tests).  The session id is then put at the head of each record's
        text: every record starts with its ``kind`` (see ``prepare_facts``), and the opening
        ``{"kind":`` cannot occur inside a JSON string, where quotes are escaped.
        """
        read = self._read
        batch: Sequence[EngineFact]
        if facts.reads is read:
            batch = facts.records
        else:
            whole = self._whole
            batch = [
                record
                if record["kind"] in whole
                else {k: v for k, v in record.items() if k in fields}
                for record in facts.records
                if (fields := read.get(str(record["kind"]))) is not None
            ]
        if not batch:
            return None
        encoded = orjson.dumps(batch, option=_ORJSON)
        if _NULL in encoded:
            raise EngineError("a fact holds a value that is not a checked engine value")
        text = encoded.decode()
        if text.count(_HEAD) != len(batch):
            raise EngineError("a fact does not start with its kind")
        return text.replace(_HEAD, '{"sid":"' + sid + '",' + _HEAD[1:])

    def evaluate(self, facts: EngineFacts) -> list[Activation]:
        facts.require_checked()
        fired: set[tuple[str, str]] = set()
        sid = f"s{next(self._sids)}"
        try:
            payload = self._batch(sid, facts)
        except (TypeError, ValueError) as exc:
            raise EngineError(f"a fact cannot be given to the rules engine: {exc}") from None
        with self._lock:
            try:
                try:
                    _rc, state = _dre.assert_fact(self._handle, _SENTINEL % sid)
                    self._drain(state, fired)
                    if payload is not None:
                        rc, state = _dre.assert_facts(self._handle, payload)
                        self._drain(state, fired)
                        if rc == 2:
                            raise EngineError("the rules engine took two facts for one")
                finally:
                    _dre.delete_state(self._handle, sid)
            except EngineError:
                raise
            except Exception as exc:
                raise EngineError(f"the rules engine failed on a case: {exc}") from None
        fired.discard((_SENTINEL_RULE, "__s"))
        return [Activation._make(pair) for pair in sorted(fired)]


def _activation(message: str) -> tuple[str, str]:
    """(rule, fact id) of one activation message ``{"<rule>":{"m":{<the fact>}}}``.

    Rule ids cannot contain quotes (the rule loader's pattern) and facts are flat records whose
    strings are closed-set words and ids without quotes or backslashes, so the first
    ``"id":"`` after the slot opens the fact's id.  Any other shape (or an id holding an
    escape) is parsed in full.
    """
    slot = message.find(_SLOT)
    start = message.find('"id":"', slot)
    end = message.find('"', start + 6)
    if (
        slot > 2
        and start > 0
        and end > 0
        and message[end - 1] != "\\"
        and message.startswith('{"')
        and message.find("{", end) < 0  # flat: no second slot or rule after the id
    ):
        return message[2:slot], message[start + 6 : end]
    pairs = [(r, str(f["id"])) for r, slots in json.loads(message).items() for f in slots.values()]
    if len(pairs) != 1:
        raise EngineError("the rules engine returned an activation of an unexpected shape")
    return pairs[0]
