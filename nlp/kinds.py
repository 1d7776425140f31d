"""The kinds of entity a researcher's "company" can be: a company, one of its brands, or a
group. One constant for the analysis, the store's readers and the demo summary."""

COMPANY_KINDS = ("company", "brand", "group")
