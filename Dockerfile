# syntax=docker/dockerfile:1
# mailbot production image.
#   docker build -t mailbot .
#   docker run --init -v mailbot-data:/var/lib/mailbot \
#     -v /etc/mailbot/mailbot.toml:/etc/mailbot/mailbot.toml:ro \
#     -e MAILBOT_IMAP__PASSWORD -e MAILBOT_SMTP__PASSWORD -e MAILBOT_DATABASE__URL mailbot
# With PostgreSQL: deploy/docker-compose.example.yml.
FROM python:3.11-slim-bookworm

# Runtime tools the daemon calls:
#   tesseract-ocr(-fra)         OCR of scanned registration forms (French)
#   poppler-utils               pdftoppm/pdftotext for scanned PDFs
#   libreoffice-{writer,calc}-nogui  .doc/.rtf -> .docx and .xls -> .xlsx conversion
#   fonts-dejavu-core           invoice fonts (€, « », accents)
#   libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
#                               weasyprint (invoice PDFs) loads these with ctypes; slim lacks them
# Versions follow bookworm's security updates, hence no pins.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      tesseract-ocr \
      tesseract-ocr-fra \
      poppler-utils \
      libreoffice-writer-nogui \
      libreoffice-calc-nogui \
      fonts-dejavu-core \
      libpango-1.0-0 \
      libpangoft2-1.0-0 \
      libharfbuzz-subset0 \
 && rm -rf /var/lib/apt/lists/*

# Fixed numeric ids: volume ownership stays stable across rebuilds, and
# orchestrators can verify runAsNonRoot from the numeric USER below.
RUN groupadd --system --gid 10001 mailbot \
 && useradd --system --uid 10001 --gid mailbot --home-dir /var/lib/mailbot \
      --no-create-home --shell /usr/sbin/nologin mailbot \
 && mkdir -p /var/lib/mailbot /etc/mailbot \
 && chown mailbot:mailbot /var/lib/mailbot

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    OMP_THREAD_LIMIT=1 \
    MAILBOT_CONFIG=/etc/mailbot/mailbot.toml \
    MAILBOT_DATA_DIR=/var/lib/mailbot

WORKDIR /app

# Dependencies first, from pyproject alone: this layer is rebuilt only when
# the dependency list changes, not on every code edit.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
      > /tmp/requirements.txt \
 && pip install --no-cache-dir -r /tmp/requirements.txt \
 && rm /tmp/requirements.txt

# The whole tree: the app reads templates/ and config/ (catalog) next to the
# mailbot/ package, so it is installed editable from /app. /app stays owned by
# root: the daemon can read its code and templates but never rewrite them.
COPY . /app
RUN pip install --no-cache-dir --no-deps -e /app \
 && python -m compileall -q /app/mailbot /app/handlers

VOLUME ["/var/lib/mailbot"]
USER 10001:10001
WORKDIR /var/lib/mailbot

# The daemon finishes the mail in hand on SIGTERM (give it time: docker stop -t 60).
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=60s --timeout=15s --start-period=60s --retries=3 \
  CMD ["mailbot", "status", "--health"]

# Run with --init (compose: init: true) so the LibreOffice helpers the daemon
# spawns are reaped: Python as PID 1 does not reap orphans.
ENTRYPOINT ["mailbot"]
CMD ["run"]
