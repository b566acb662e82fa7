# syntax=docker/dockerfile:1
# Coursedeck's production image: gunicorn serving Django, static files by whitenoise.
# Build: docker build -t coursedeck . — run: see compose.yaml and docs/deploy.md.
#
# The base image is pinned by digest so a rebuild gets the same bytes as the last one.
# To move to a newer python:3.11-slim (security fixes), look the digest up and paste it below:
#   docker buildx imagetools inspect python:3.11-slim --format '{{json .Manifest.Digest}}'
# (the digest below could not be checked from the machine this was written on: refresh it
# before the first build).
ARG PYTHON_IMAGE=python:3.11-slim@sha256:9c900dea9e8fb7e16277c179b555cc72d29a352dbc33cff48ad5a0412fd5bfc7

# --- builder: the production set of uv.lock, hash-checked, as wheels ----------------------
FROM ${PYTHON_IMAGE} AS builder
# The uv that reads uv.lock: the same version as UV_VERSION in the Makefile.
ARG UV_VERSION=0.13.9
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
RUN pip install --no-cache-dir "uv==${UV_VERSION}"
WORKDIR /src
# Only the lock and what it is checked against, so editing the app does not rebuild the wheels.
COPY pyproject.toml uv.lock ./
# `uv export --frozen`: the locked versions exactly, never re-resolved; no extras (no test or
# dev tools) and not the app itself (its code is copied below). Every line carries the lock's
# hashes, and --require-hashes makes pip refuse any download that does not match them.
RUN uv export --frozen --no-dev --no-emit-project --format requirements-txt \
        --output-file requirements.txt \
    && pip wheel --no-cache-dir --require-hashes --no-deps --wheel-dir /wheels -r requirements.txt

# --- catalogs: interface translations compiled from locale/*/LC_MESSAGES/django.po ---------
FROM ${PYTHON_IMAGE} AS catalogs
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext=0.21-12 \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY locale/ locale/
RUN for po in locale/*/LC_MESSAGES/django.po; do msgfmt --check -o "${po%.po}.mo" "$po"; done

# --- runtime: no compilers, no build tools, not root ---------------------------------------
FROM ${PYTHON_IMAGE} AS runtime
# DJANGO_ENV=production: manage.py never falls back to development settings in the image
# (config/checkout.py; the image has no .git either).
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_ENV=production \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PORT=8000 \
    GUNICORN_BIND=0.0.0.0:8000
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /app --shell /usr/sbin/nologin app
WORKDIR /app
# Exactly the locked wheels (--no-index): a dependency missing from them fails the build
# instead of being fetched unpinned.
RUN --mount=type=bind,from=builder,source=/wheels,target=/wheels \
    pip install --no-cache-dir --no-index /wheels/*.whl

# The code stays owned by root: the app user can read it but not change it.
COPY manage.py ./
COPY config/ config/
COPY --from=catalogs /src/locale/ locale/
COPY courses/ courses/
COPY quizzes/ quizzes/
COPY templates/ templates/
COPY static/ static/
COPY content/ content/
COPY docker/ docker/

# Hashed, compressed static files for whitenoise. The key exists only for this command:
# settings refuse to start without one, and the real one is given at run time.
RUN SECRET_KEY=collectstatic-build-only-never-used-at-runtime \
    DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    python manage.py collectstatic --noinput --verbosity 0

USER 10001:10001
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-m", "config.healthcheck"]
CMD ["gunicorn", "--config", "config/gunicorn.conf.py"]
