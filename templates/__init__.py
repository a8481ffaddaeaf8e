"""Jinja2 templates of negotiator, shipped as package data (``negotiator.templates``)."""
