"""Benchmarks: build, re-run, query, render, HTTP and memory figures of Amtsblick beside two baselines.

`python -m bench.run` is the entry point; `python -m bench.scale` draws the scale curve.
"""
