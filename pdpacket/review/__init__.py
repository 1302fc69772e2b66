"""The readiness review: the checks a supervising attorney makes before filing."""
