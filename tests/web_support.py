"""Starting and stopping the web app on 127.0.0.1 for tests; answering its questions."""

from __future__ import annotations

import contextlib
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import make_server

from negotiator.web import create_app

#: Answers of two personas, by field name (anything else is answered "I don't know").
LICENSED = {
    "loan_count": "1",
    "lender_name": "某某网络小额贷款有限公司",
    "lender_type": "microloan",
    "principal": "3万",
    "received": "29,700元",
    "rate": "年化18%",
    "term_months": "12",
    "repaid": "21000",
    "overdue_since": "2026年9月10日",
    "penalty_rate": "合同利率的1.5倍",
    "monthly_income": "6500",
    "essential_expenses": "4000",
    "other_debt_payments": "0",
    "savings": "3000",
    "income_stability": "unstable",
    "has_agreement": "是",
    "form": "chat",
    "total": "3万",
    "instalments": "2000×15，2026年1月6日",
    "repayment_account": "personal",
    "account_holder": "李某",
}

PRIVATE = {
    "loan_count": "1",
    "lender_name": "张三",
    "lender_type": "private",
    "principal": "人民币壹万贰仟元整",
    "rate": "月息2%",
    "contract_date": "2025/11/10",
    "overdue_since": "2026.08.01",
    "monthly_income": "5000",
    "essential_expenses": "3500",
    "has_agreement": "否",
}


@contextlib.contextmanager
def running_server(**options: Any) -> Iterator[tuple[str, Any]]:
    """The app served on a free port of 127.0.0.1; yields (base URL, app)."""
    app = create_app(**options)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", app
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str:
    for candidate in (
        os.environ.get("NEGOTIATOR_CHROMIUM"),
        "/usr/bin/chromium",
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
    ):
        if candidate and Path(candidate).is_file():
            return candidate
    pytest.fail(
        "no Chromium browser found: install the distribution's package "
        "(apt-get install -y chromium chromium-driver) or set NEGOTIATOR_CHROMIUM; "
        "the browser test does not skip"
    )
