"""The Jinja2 environment: templates as package data, strict, escaped where it matters.

Templates live in ``templates/`` (installed as ``negotiator.templates``) and are read through
:mod:`importlib.resources`.  The environment uses ``StrictUndefined`` (a missing value fails
loudly instead of printing nothing), keeps trailing newlines, and autoescapes ``.html``
templates.  Formatting is done by filters so templates stay declarative:

``yuan``        ``Decimal('12000')`` → ``12,000.00``
``daxie``       ``Decimal('12000')`` → ``人民币壹万贰仟元整``
``cn_date``     ``date(2026, 11, 21)`` → ``2026年11月21日``
``percent``     ``Decimal('0.24')`` → ``24.00%``
``mask_id``     ``110105194912310021`` → ``1101**********0021``
``mask_phone``  ``13812345678`` → ``138****5678``

A user's own template folder is rendered in Jinja2's sandbox.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import jinja2
import jinja2.sandbox

from .money import format_yuan, to_fen

__all__ = [
    "cn_date",
    "daxie",
    "environment",
    "mask_id",
    "mask_phone",
    "percent",
    "user_environment",
]


class ResourceLoader(jinja2.BaseLoader):
    """Load templates from a package's resources (works from a wheel, a zip or a checkout)."""

    def __init__(self, root: Traversable) -> None:
        self.root = root

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        node = self.root
        for part in template.split("/"):
            if part in ("", ".", ".."):
                raise jinja2.TemplateNotFound(template)
            node = node / part
        if not node.is_file():
            raise jinja2.TemplateNotFound(template)
        return node.read_text(encoding="utf-8"), None, lambda: True

    def list_templates(self) -> list[str]:
        out: list[str] = []

        def walk(node: Traversable, prefix: str) -> None:
            for child in node.iterdir():
                if child.is_dir():
                    walk(child, f"{prefix}{child.name}/")
                elif child.name.endswith(".j2"):
                    out.append(prefix + child.name)

        walk(self.root, "")
        return sorted(out)


def yuan(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return format_yuan(value)


def daxie(value: Decimal) -> str:
    """Amount in Chinese financial capitals (大写), e.g. 人民币壹万贰仟元整."""
    import cn2an

    amount = to_fen(value)
    if amount < 0:
        raise ValueError("negative amounts have no 大写 form")
    text = str(cn2an.an2cn(f"{amount:.2f}", "rmb"))
    if not text.endswith("整") and text.endswith("元"):
        text += "整"
    return "人民币" + text


def cn_date(value: dt.date | None) -> str:
    if value is None:
        return "____年__月__日"
    return f"{value.year}年{value.month}月{value.day}日"


def percent(value: Decimal | None, places: int = 2) -> str:
    if value is None:
        return "—"
    q = Decimal(1).scaleb(-places)
    return f"{(value * 100).quantize(q)}%"


def mask_id(value: str | None) -> str:
    """Keep the first 4 and last 4 characters of an identity number."""
    if not value:
        return "——"
    v = value.strip()
    if len(v) <= 8:
        return "*" * len(v)
    return v[:4] + "*" * (len(v) - 8) + v[-4:]


def mask_phone(value: str | None) -> str:
    if not value:
        return "——"
    v = value.strip()
    if len(v) < 7:
        return "*" * len(v)
    return v[:3] + "*" * (len(v) - 7) + v[-4:]


FILTERS: dict[str, Callable[..., Any]] = {
    "yuan": yuan,
    "daxie": daxie,
    "cn_date": cn_date,
    "percent": percent,
    "mask_id": mask_id,
    "mask_phone": mask_phone,
}


def _configure(env: jinja2.Environment) -> jinja2.Environment:
    env.filters.update(FILTERS)
    return env


def _autoescape(name: str | None) -> bool:
    return bool(name) and str(name).endswith((".html.j2", ".html", ".htm", ".xml"))


@cache
def environment() -> jinja2.Environment:
    """The packaged templates' environment (cached)."""
    env = jinja2.Environment(
        loader=ResourceLoader(resources.files("negotiator.templates")),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=_autoescape,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return _configure(env)


def user_environment(folder: Path) -> jinja2.Environment:
    """An environment over a user's template folder, sandboxed; falls back to packaged ones."""
    env = jinja2.sandbox.SandboxedEnvironment(
        loader=jinja2.ChoiceLoader(
            [
                jinja2.FileSystemLoader(str(folder)),
                ResourceLoader(resources.files("negotiator.templates")),
            ]
        ),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=_autoescape,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return _configure(env)
