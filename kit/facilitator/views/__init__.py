"""The dashboard's tabs, each bound to kit.facilitator.model."""
