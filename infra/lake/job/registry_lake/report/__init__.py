"""The analytics report over audit.package_events, read with pyiceberg."""
