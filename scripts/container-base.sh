#!/usr/bin/env bash
# Builds localhost/zt-base:debian12, a base for the Dockerfile with no registry in reach: the
# files of Debian 12's libc6, libgcc-s1, libstdc++6 (all the executable links), base-files and
# netbase, unpacked from the packages apt downloads, plus the users of the distroless images
# (nonroot = 65532) and their home. No shell, no package manager, like
# gcr.io/distroless/cc-debian12 (the Dockerfile's default base). Needs apt-get and podman.
#   bash scripts/container-base.sh && ZT_BASE_IMAGE=localhost/zt-base:debian12 npm run build:image
set -euo pipefail

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/debs" "$work/rootfs"
# apt downloads as its own user (_apt), which must reach the folder.
chmod 0755 "$work"
chmod 0777 "$work/debs"

(cd "$work/debs" && apt-get download -qq libc6 libgcc-s1 libstdc++6 base-files netbase)
for deb in "$work"/debs/*.deb; do
  dpkg-deb -x "$deb" "$work/rootfs"
  dpkg-deb --show --showformat='${Package} ${Version}\n' "$deb"
done

root="$work/rootfs"
printf 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' > "$root/etc/passwd"
printf 'root:x:0:\nnobody:x:65534:\nnonroot:x:65532:\n' > "$root/etc/group"
mkdir -p "$root/home/nonroot" "$root/tmp"
chown 65532:65532 "$root/home/nonroot"
chmod 1777 "$root/tmp"
# Nothing reads the documentation.
rm -rf "$root/usr/share/doc" "$root/usr/share/man" "$root/usr/share/lintian"

tar -C "$root" --numeric-owner -c . | podman import --quiet - localhost/zt-base:debian12 >/dev/null
echo "localhost/zt-base:debian12 ($(du -sh "$root" | cut -f1))"
