"""The case: its typed model (:mod:`.models`), loading and validation (:mod:`.load`), the spellings
people write (:mod:`.natural`), input errors in the reader's language (:mod:`.messages`) and the
JSON Schema (:mod:`.schema`).
"""
