"""Reading what people type or paste: the one place that knows the words for yes and no, and how a web
address typed without its scheme is completed."""

YES_WORDS = frozenset({"1", "true", "yes", "y", "on", "x", "✓", "✔", "√", "是", "对", "有", "同意", "真"})
NO_WORDS = frozenset({"0", "false", "no", "n", "off", "-", "✗", "×", "否", "不", "无", "不同意", "假"})


def parse_yes_no(value) -> bool | None:
    """True or False for a yes/no word in English or Chinese (or a bool); None when it is neither."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in YES_WORDS:
        return True
    if text in NO_WORDS:
        return False
    return None


def complete_url(text: str) -> str:
    """A web address as people type it ("acme.example") with the scheme browsers assume; others unchanged."""
    text = text.strip()
    return f"https://{text}" if text and "://" not in text else text
