"""Change history, the security log and the recycle bin; written only from services."""
