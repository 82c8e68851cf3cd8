#!/usr/bin/env bash
# npm run build:image: the container image of the Dockerfile, zt-audit:<version>, from
# dist-exe/ (npm run build:exe first), with podman or else docker. The base is the
# Dockerfile's (gcr.io/distroless/cc-debian12:nonroot) unless ZT_BASE_IMAGE names another,
# e.g. localhost/zt-base:debian12 from scripts/container-base.sh where no registry is in reach.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x dist-exe/zt ]; then
  echo "dist-exe/zt is missing: run npm run build:exe first" >&2
  exit 1
fi
engine="$(command -v podman || command -v docker || true)"
if [ -z "$engine" ]; then
  echo "neither podman nor docker is installed" >&2
  exit 1
fi
version="$(sed -n 's/^  "version": "\(.*\)",$/\1/p' package.json)"
base=()
if [ -n "${ZT_BASE_IMAGE:-}" ]; then base=(--build-arg "BASE_IMAGE=$ZT_BASE_IMAGE"); fi
"$engine" build --quiet "${base[@]}" --tag "zt-audit:$version" --file Dockerfile . >/dev/null
echo "zt-audit:$version ($("$engine" image inspect --format '{{.Size}}' "zt-audit:$version" | awk '{printf "%.0f MB", $1 / 1e6}'), base ${ZT_BASE_IMAGE:-of the Dockerfile})"
