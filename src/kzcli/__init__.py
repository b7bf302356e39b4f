"""kz: query Human Rights Watch's "Kazakhstan: Events of 2020" from a terminal."""

__version__ = "0.1.0"
