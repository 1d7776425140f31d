"""Everything that talks to the outside world and drives a run."""
