"""LocalStack for the integration suite: the backend (one endpoint), the runtime the suite starts, its gaps.

backend.py   endpoint resolution and the one-endpoint check, health probe (TLS on loopback), clients
runtime.py   the LocalStack process (start, wait, stop), from the Python 3.13 virtualenv tox makes
launcher.py  runs inside that venv: the named patches, then LocalStack's own main
gaps.py      LocalStack's known differences from AWS that the suite meets, each named and probed
"""
