#!/bin/sh
# Release step: run once per deploy, before the new app servers take traffic
# (compose.yaml's `release` service; any orchestrator's one-off job).
set -eu
python manage.py migrate --noinput
python manage.py load_content
