"""The landing page's panels, each bound to kit.start.model."""
