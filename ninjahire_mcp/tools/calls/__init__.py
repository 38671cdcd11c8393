"""AI phone-screening calls: reading what they revealed, placing one, and insights across a job's calls."""
