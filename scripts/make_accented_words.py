"""Write mailbot/understanding/documents/accented_words.txt from Tesseract's French model.

The list is the accented words of the word dictionary packed in ``fra.traineddata``
(tesseract-ocr-fra, Apache-2.0), lower-cased: the words Tesseract itself knows.
Run it again when the model changes:

    python scripts/make_accented_words.py [/usr/share/tesseract-ocr/5/tessdata/fra.traineddata]
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

MODEL = Path("/usr/share/tesseract-ocr/5/tessdata/fra.traineddata")
TARGET = Path(__file__).parent.parent / "mailbot/understanding/documents/accented_words.txt"
ACCENTED = re.compile(r"[À-ÖØ-öø-ÿŒœ]")
WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")


def main() -> None:
    model = Path(sys.argv[1]) if len(sys.argv) > 1 else MODEL
    with tempfile.TemporaryDirectory() as work:
        prefix = f"{work}/fra."
        subprocess.run(
            ["combine_tessdata", "-u", str(model), prefix], check=True, capture_output=True
        )
        listed = f"{work}/words.txt"
        subprocess.run(
            ["dawg2wordlist", f"{prefix}lstm-unicharset", f"{prefix}lstm-word-dawg", listed],
            check=True,
            capture_output=True,
        )
        words = Path(listed).read_text(encoding="utf-8").split()
    kept = sorted(
        {word.lower() for word in words if ACCENTED.search(word) and WORD.fullmatch(word)}
    )
    header = (
        f"# Accented words of Tesseract's French model ({model.name}); see {Path(__file__).name}\n"
    )
    TARGET.write_text(header + "\n".join(kept) + "\n", encoding="utf-8")
    print(f"{len(kept)} words -> {TARGET}")


if __name__ == "__main__":
    main()
