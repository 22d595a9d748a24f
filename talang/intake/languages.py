"""The languages of the public forms and e-mails to newcomers."""

PUBLIC_LANGUAGES = [("sv", "Svenska"), ("en", "English"), ("de", "Deutsch"), ("nl", "Nederlands")]
PUBLIC_CODES = [code for code, _name in PUBLIC_LANGUAGES]
