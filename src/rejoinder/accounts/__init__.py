"""Reader accounts: who a signed-in reader is on a site, and the sessions that prove it."""
