"""Declarative rule files of negotiator (TOML), shipped as package data.

This folder is installed as the resource package ``negotiator.rules``; the code reads it only
through :mod:`importlib.resources`.
"""
