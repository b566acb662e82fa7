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

# --- builder: resolve and build every dependency into wheels -------------------------------
FROM ${PYTHON_IMAGE} AS builder
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /src
# Only what the dependency list needs, so editing the app does not rebuild the wheels.
COPY pyproject.toml README.md ./
COPY config/__init__.py config/__init__.py
COPY courses/__init__.py courses/__init__.py
COPY quizzes/__init__.py quizzes/__init__.py
RUN pip wheel --wheel-dir /wheels . \
    && rm /wheels/coursedeck-*.whl

# --- runtime: no compilers, no build tools, not root ---------------------------------------
FROM ${PYTHON_IMAGE} AS runtime
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PORT=8000 \
    GUNICORN_BIND=0.0.0.0:8000
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /app --shell /usr/sbin/nologin app
WORKDIR /app
RUN --mount=type=bind,from=builder,source=/wheels,target=/wheels \
    pip install --no-cache-dir --no-index /wheels/*.whl

# The code stays owned by root: the app user can read it but not change it.
COPY manage.py ./
COPY config/ config/
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
