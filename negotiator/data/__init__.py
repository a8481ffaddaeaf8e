"""Dated legal parameters and reference tables shipped with negotiator (LPR, seed sections)."""
