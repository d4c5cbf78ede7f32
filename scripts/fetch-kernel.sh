#!/usr/bin/env bash
# Fetch the guest kernel (image, modules, headers) from Debian's packages into
# build/kernel/root with apt-get download + dpkg-deb -x (nothing is installed
# on the host).  The ABI (6.1.0-NN-amd64) comes from the metapackage.
# Writes build/kernel/abi, build/kernel/vmlinuz, build/kernel/headers -> tree.
. "$(dirname "$0")/lib.sh"

abi=$(kernel_abi)
kdir=$BUILD/kernel
stamp=$kdir/.fetched-$abi
[ -f "$stamp" ] && exit 0

rm -rf "$kdir"
mkdir -p "$kdir/debs" "$kdir/root"
log "downloading kernel $abi"
(
    cd "$kdir/debs"
    apt-get download -q "linux-image-$abi" "linux-headers-$abi" \
        "linux-headers-${abi%-amd64}-common" linux-kbuild-6.1 >/dev/null
)
for deb in "$kdir"/debs/*.deb; do
    dpkg-deb -x "$deb" "$kdir/root"
done
rm -rf "$kdir/debs"

# The headers package links its scripts/tools into /usr/lib/linux-kbuild-6.1
# with absolute symlinks; point them into our extracted root instead.
hdr=$kdir/root/usr/src/linux-headers-$abi
find "$kdir/root/usr/src" -type l | while read -r l; do
    t=$(readlink "$l")
    case "$t" in
    /*) ln -sfn "$kdir/root$t" "$l" ;;
    esac
done
[ -f "$hdr/Makefile" ] || die "headers tree missing in $hdr"
# ...and its Makefile includes the -common tree by absolute path.
sed -i "s|^include /usr/src/|include $kdir/root/usr/src/|" "$hdr/Makefile"

echo "$abi" > "$kdir/abi"
ln -sfn "root/boot/vmlinuz-$abi" "$kdir/vmlinuz"
ln -sfn "root/usr/src/linux-headers-$abi" "$kdir/headers"
touch "$stamp"
log "kernel $abi ready in $kdir"
