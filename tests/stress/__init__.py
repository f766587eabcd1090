"""Stress scripts: long forms by hand (docs/operations.md), short forms in tests/test_stress_short.py."""
