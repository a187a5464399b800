"""AsyncAPI object models: one parser per major version, each producing the IR."""
