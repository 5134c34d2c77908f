// The payment saga under crashes and races: written by the saga tests.
