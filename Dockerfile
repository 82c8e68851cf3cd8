# zt in a container: the self-contained executable (npm run build:exe → dist-exe/) on a
# distroless base that has what it links (glibc, libstdc++, libgcc) and no shell, run as a
# numeric non-root user. It needs no writable file system: zt writes only where -o says (mount
# a folder for that) and keeps no cache in HOME or TMPDIR, so `--read-only` works as is.
#
#   npm run build:exe && npm run build:image       # or: docker build -t zt-audit .
#   docker run --rm --read-only zt-audit audit --demo
#
# Without a registry, build the same kind of base from Debian's packages (what CI does):
#   bash scripts/container-base.sh && ZT_BASE_IMAGE=localhost/zt-base:debian12 npm run build:image
ARG BASE_IMAGE=gcr.io/distroless/cc-debian12:nonroot
FROM ${BASE_IMAGE}
LABEL org.opencontainers.image.title="zt" \
      org.opencontainers.image.description="Zero trust posture auditor (CISA ZTMM v2.0)" \
      org.opencontainers.image.licenses="Apache-2.0"
# Owned by root and not writable by the user zt runs as; the data files sit beside the
# executable, where it looks for them.
COPY dist-exe/ /opt/zt/
USER 65532:65532
WORKDIR /work
ENTRYPOINT ["/opt/zt/zt"]
CMD ["--help"]
