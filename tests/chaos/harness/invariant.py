"""An invariant's verdict: its name, how many violations were found, and their details."""

MAX_DETAILS = 20  # enough rows to debug with; the count says how many there were


class Invariant:
    def __init__(self, name, violations, details=(), note=""):
        self.name = name
        self.violations = violations
        self.details = list(details)[:MAX_DETAILS]
        self.note = note

    @property
    def passed(self):
        return self.violations == 0


def from_rows(name, rows, describe, note=""):
    """An invariant violated once per offending row."""
    return Invariant(name, len(rows), [describe(row) for row in rows[:MAX_DETAILS]], note)
