"""The observatory: the one place where essor's figures are defined and computed (the
indicator catalogue), and where they are published (dashboards, open data)."""
