"""Tools for the people who keep the project: the reference pages (:mod:`.refdoc`), the seed
coverage table (:mod:`.docgen`), the report schema (:mod:`.report_schema`) and the scenario
runner behind ``negotiator rules --test`` (:mod:`.scenarios`).
"""
