"""The study: centres, their spheres and regions beyond size, and Hwang's Korea–UK case.

One topic a module (the rules, formulas and references are in ``docs/method.md``):

``network``
    A year's counts in canonical order (by code), with the gravity null without self-pairs.
``noise``
    The pair noise: a variance function fitted on the smaller pairs, and null draws from it.
``pairs``
    Quadratic sums of pair tables over memberships (the statistics' and replicates' workhorse).
``intervals``
    BCa intervals from resampling countries.
``centres``
    The centres (the largest countries), each country's sphere and its tests, each sphere's
    hub ratio, the centres' tie as one (:class:`~bibnet.hypotheses.centres.Spheres`).
``regions``
    Assortative blocs among the non-centres, searched on half the pairs and tested on the other
    half, beside the fixed continents (:class:`~bibnet.hypotheses.regions.Regions`).
``verdicts``
    The two answers a year from those tests.
``hwang``
    The focal country partner by partner: its leaning on each centre among its size peers, and
    who prefers it.
``study``
    One year read with the configuration's settings; ``files``: the stage's file interface.
``layers``
    The research-field layers side by side: every country's place in each, and the focal
    country nearer the centre in applied or in basic fields.
"""
