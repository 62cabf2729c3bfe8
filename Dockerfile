# Socratic Tutor: one image for the bot and for extra review workers.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    VIRTUAL_ENV=/app/.venv \
    PATH=/app/.venv/bin:$PATH

WORKDIR /app
RUN pip install --no-cache-dir "uv==0.13.9" && uv venv "$VIRTUAL_ENV"

# Dependencies first, from the committed lock file, so code changes reuse this layer.
# Their bytecode is compiled here: the image writes none at run time, and compiling the
# dependencies at every start would cost seconds.
COPY requirements.lock pyproject.toml README.md ./
RUN uv pip sync --compile-bytecode --python "$VIRTUAL_ENV/bin/python" requirements.lock

COPY bot ./bot
COPY cogs ./cogs
COPY content ./content
RUN uv pip install --compile-bytecode --python "$VIRTUAL_ENV/bin/python" --no-deps . \
    && useradd --create-home tutor && mkdir -p /app/data && chown tutor /app/data

USER tutor
VOLUME ["/app/data"]
# Settings come from the environment (see .env.example); secrets are never baked in.
CMD ["tutor", "run"]
