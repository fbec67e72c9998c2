"""Language components: lemmatisers, embedders, redaction recognisers."""
