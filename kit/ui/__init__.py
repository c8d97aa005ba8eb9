"""Screens and the widgets they share."""
