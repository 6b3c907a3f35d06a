"""Across documents: stories, and what they tell about each other."""
