"""The analytics report over audit.package_events (issue 6), read with pyiceberg."""
