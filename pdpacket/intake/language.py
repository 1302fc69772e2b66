"""The language a document is written in, detected from its text (own or OCR).

py3langid (a maintained fork of langid.py: a 4.5 MB naive-Bayes model over
byte n-grams, offline, about 0.1 ms a document once loaded) was chosen over
langdetect and lingua after measuring short evidence sentences in English,
Spanish, Portuguese, French and Haitian Creole: py3langid 15 of 15 right,
langdetect 12 of 15 (it has no Haitian Creole at all) and 250 times slower;
lingua has no Haitian Creole either and weighs far more.  The model is limited
to the languages immigration evidence comes in, which makes short and noisy
OCR text much harder to mistake for a language nobody sends.
"""

from __future__ import annotations

import functools
import logging
import re
import threading
from typing import Any

log = logging.getLogger("pdpacket.language")

# ISO 639-1 (or -3 where there is none) -> the name the exhibit's language field uses
LANGUAGES: dict[str, str] = {
    "en": "English",
    "es": "Spanish",
    "pt": "Portuguese",
    "fr": "French",
    "ht": "Haitian Creole",
    "zh": "Chinese",
    "vi": "Vietnamese",
    "ko": "Korean",
    "ar": "Arabic",
    "ru": "Russian",
    "uk": "Ukrainian",
    "hi": "Hindi",
    "pa": "Punjabi",
    "bn": "Bengali",
    "ur": "Urdu",
    "ne": "Nepali",
    "tl": "Tagalog",
    "fa": "Persian",
    "ps": "Pashto",
    "so": "Somali",
    "am": "Amharic",
    "ro": "Romanian",
    "pl": "Polish",
    "tr": "Turkish",
    "it": "Italian",
    "de": "German",
    "ja": "Japanese",
    "th": "Thai",
    "my": "Burmese",
    "km": "Khmer",
    "ka": "Georgian",
    "hy": "Armenian",
    "sw": "Swahili",
    "yo": "Yoruba",
    "ig": "Igbo",
    "ha": "Hausa",
    "qu": "Quechua",
    "gug": "Guarani",
}
MIN_LETTERS = 40  # less text than this says nothing reliable about its language
MIN_CONFIDENCE = 0.85
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)

_lock = threading.Lock()


@functools.cache
def _identifier() -> Any:
    from py3langid import langid  # loaded on first use: 0.7 s

    ident = langid.LanguageIdentifier.from_model_file(langid.MODEL_FILE, norm_probs=True)
    ident.set_languages(list(LANGUAGES))
    return ident


def preload() -> None:
    """Load the model now (0.7 s), e.g. on a helper thread before it is needed."""
    try:
        with _lock:
            _identifier()
    except Exception as exc:
        log.warning("language model not loaded: %s", exc)


def detect(text: str) -> tuple[str, float]:
    """(language code, confidence 0-1) of ``text``; ("", 0) when there is too
    little text, or it is not clearly one language."""
    words = _WORD.findall(text)
    letters = sum(len(w) for w in words)
    if letters < MIN_LETTERS:
        return "", 0.0
    sample = " ".join(words)[:20_000]
    try:
        with _lock:
            code, score = _identifier().classify(sample)
    except Exception as exc:  # the model must never stop an import or a review
        log.warning("language detection failed: %s", exc)
        return "", 0.0
    if float(score) < MIN_CONFIDENCE:
        return "", float(score)
    return str(code), float(score)


def name(code: str) -> str:
    return LANGUAGES.get(code, code)


def is_english(language: str) -> bool:
    return language.strip().lower() in ("english", "en", "eng")
