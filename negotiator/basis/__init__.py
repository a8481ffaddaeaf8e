"""What the rules rest on: the dated parameters (rules/parameters.toml) and the register of legal
instruments (rules/citations.toml). Nothing here imports the rest of the package, so the
calculators can read a threshold without loading the rules.
"""
