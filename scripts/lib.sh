# shellcheck shell=bash
# Common helpers for the build scripts.  Source it; it sets TOP and BUILD.
set -euo pipefail
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
# shellcheck source=../config/base-trees.env
. "$TOP/config/base-trees.env"

log() { printf '[%s] %s\n' "$(basename "$0")" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Print the guest kernel ABI name (e.g. 6.1.0-56-amd64) from the image metapackage.
kernel_abi() {
    local dep
    dep=$(apt-cache depends "$KERNEL_IMAGE_META" 2>/dev/null |
          sed -n 's/^ *Depends: linux-image-\(6\.[0-9.]*-[0-9]*-amd64\)$/\1/p' | head -n1)
    [ -n "$dep" ] || die "cannot resolve $KERNEL_IMAGE_META (run scripts/deps.sh)"
    echo "$dep"
}

# Put ccache in front of the compilers.  The cache lives outside the checkout
# (a fresh clone on the same machine reuses it); paths are hashed relative to
# build/, so trees laid out alike (SRC and OUT siblings) share entries.
use_ccache() {
    [ -d /usr/lib/ccache ] || return 0
    export PATH=/usr/lib/ccache:$PATH
    export CCACHE_DIR=${CCACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/virtio-crypto-ccache}
    export CCACHE_BASEDIR=$BUILD
    export CCACHE_NOHASHDIR=1
    export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-8G}
}
