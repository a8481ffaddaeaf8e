"""Exact money and rate calculators used by the analysis (they never see a fact or a rule).

Every function works on :class:`decimal.Decimal` (money in yuan, rates as fractions) and never
on floats.  Modules:

* :mod:`negotiator.calc.dates` — month arithmetic that refuses to guess;
* :mod:`negotiator.calc.rates` — daily/monthly/annual conversion and Chinese rate wording;
* :mod:`negotiator.calc.cost` — annualised cost by internal rate of return, amortisation;
* :mod:`negotiator.calc.upfront` — interest deducted up front (砍头息);
* :mod:`negotiator.calc.lpr` — the one-year LPR history shipped as data;
* :mod:`negotiator.calc.caps` — which interest cap applies and how much is above it;
* :mod:`negotiator.calc.budget` — what the borrower can afford and how to split it;
* :mod:`negotiator.calc.consequences` — what further charges accrue if nothing is paid.

Import the submodules directly; this package re-exports nothing.
"""
