"""The rules' code (their data stays in rules/, installed as ``negotiator.rules``): the file
format, the condition language and the loader with parameter references and citations by key
(:mod:`.loader`), and the catalogue of loaded rules (:mod:`.catalog`).
"""
