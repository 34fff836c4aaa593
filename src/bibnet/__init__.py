"""bibnet: the structure of international scientific collaboration, from OpenAlex co-authorship.

Stages, one module each, data flowing one way:
fetch (OpenAlex rows) -> counts (tidy pair tables) -> graphs -> blockmodels -> hypotheses -> report.
"""

__version__ = "0.1.0"
