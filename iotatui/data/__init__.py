"""Problems, datasets and tiny models: everything the training stages eat (no Textual, no torch at import)."""
