"""broadcaster: plans and runs the airtime of Vietnam's grassroots radio."""

__version__ = "0.1.0"


def _vietnamese() -> object:
    from .i18n import DEFAULT_LANGUAGE, translations

    return translations(DEFAULT_LANGUAGE)


def _install_default_language() -> None:
    # everything a user reads is Vietnamese unless an entry point chose English; the catalogue
    # is read on the first message shown, not at import
    from .domain import messages

    messages.set_default_loader(_vietnamese)  # type: ignore[arg-type]


_install_default_language()
