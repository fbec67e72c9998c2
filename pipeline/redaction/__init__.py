"""Redaction: personal data out of the text before any other stage sees it (DESIGN.md §5).

- `identifiers`: henkilötunnus, IBAN, phones, e-mail, addresses, client numbers, by pattern
  and validation;
- `names`: person names in every case form (Voikko name classes, context, record fields);
- `redactor`: both together, typed placeholders that keep the case ending (`<HENKILÖ_1>:lle`);
- `pseudonyms`: client keys as keyed hashes (HMAC) and the key rules.
"""
