"""broadcaster: plans and runs the airtime of Vietnam's grassroots radio."""

__version__ = "0.1.0"
