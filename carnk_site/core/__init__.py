"""Pieces every content app shares: model building blocks and the validation rules for every way in."""
