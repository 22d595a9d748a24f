"""The languages of the public forms and e-mails to newcomers."""

PUBLIC_LANGUAGES = [("sv", "Svenska"), ("en", "English"), ("de", "Deutsch"), ("nl", "Nederlands")]
PUBLIC_CODES = [code for code, _name in PUBLIC_LANGUAGES]

# A date written out in each language, as people there write it: "30 November 2026" in
# English (Django's English format is American), "30. November 2026" in German.
LONG_DATE = {"sv": "j F Y", "en": "j F Y", "de": "j. F Y", "nl": "j F Y"}
