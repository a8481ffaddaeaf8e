"""The documents a borrower sends or keeps: one module per document, each building the context
its template prints.

Templates speak; they never compute.  Every figure a document quotes is prepared here from the
case, the analysis and the findings; a value the case does not hold stays ``None`` and the
template shows a fill-in blank for it.

* :mod:`.views` — plain views of the borrower, the loans, the budget, hardships and findings;
* :mod:`.selection` — which loans a letter is written about (one letter per loan);
* :mod:`.proposal` — what the borrower offers one lender;
* :mod:`.agreement_draft` — the draft agreement, as the model the check judges;
* :mod:`.confirmation`, :mod:`.complaint`, :mod:`.negotiation_log`, :mod:`.enclosures`;
* :mod:`.reply` — the reply to the lender's proposal (accept with changes, or counter-offer);
* :mod:`.keep` — the action plan's payment calendar for a signed agreement;
* :mod:`.hold` (暂缓催收申请), :mod:`.reconsider` (请求重新考虑), :mod:`.income_expenditure`
  (收支说明);
* :mod:`.context` — the context of one letter, assembled from the above;
* :mod:`.kinds` — the closed sets of document kinds and output formats (import-free, for the
  command's start-up);
* :mod:`.letters` (``render_letter``), :mod:`.action_plan`, :mod:`.check_report` (the agreement
  check's printed report) — the documents themselves;
* :mod:`.render` (Jinja environments, filters, CJK text width), :mod:`.docx`, :mod:`.pdf` — the
  output formats.

This package's ``__init__`` imports nothing, so importing :mod:`.kinds` stays cheap.
"""

