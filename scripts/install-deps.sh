#!/bin/sh
# install-deps.sh — installs the Debian packages feverbench needs, if any are missing.
# Uses apt-get directly as root, through sudo otherwise. Safe to run repeatedly.
#   scripts/install-deps.sh              what builds and tests need (make run, make test)
#   scripts/install-deps.sh bench-faces  only the optional face-detector benchmark's packages
#                                        (make bench-faces, make docs-people): Debian's Python,
#                                        OpenCV and its trained cascades, dlib (HOG detector)
#   scripts/install-deps.sh slurm        Slurm and munge, for `sweep --executor slurm` and the
#                                        tests that start a single-node cluster (make test)
set -eu

PACKAGES="cmake make gcc clang libclang-rt-dev valgrind pkg-config libcjson-dev libxxhash-dev verilator iverilog g++ zlib1g-dev libserialport-dev libseccomp-dev gcc-arm-linux-gnueabihf libc6-dev-armhf-cross qemu-user gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm libsdl2-dev libsdl2-ttf-dev libpng-dev fonts-dejavu-core man-db dpkg-dev xvfb xdotool x11-apps chromium python3 python3-jsonschema"

case "${1:-}" in
"") ;;
bench-faces) PACKAGES="python3 python3-numpy python3-opencv opencv-data libdlib-dev g++ pkg-config" ;;
slurm) PACKAGES="slurmctld slurmd slurm-client munge" ;;
*)
    echo "install-deps: unknown group \"$1\" (expected none, bench-faces or slurm)" >&2
    exit 2
    ;;
esac

missing=""
for p in $PACKAGES; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    echo "install-deps: missing packages:$missing (run as root or install sudo)" >&2
    exit 2
fi
echo "install-deps: installing$missing" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >&2
