"""Page 07's panels, each bound to kit.own_town.model."""
