"""Language components: Voikko, tokens, lemmatisers, compounds, language detection, embedders."""
