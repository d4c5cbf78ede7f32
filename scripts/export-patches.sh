#!/usr/bin/env bash
# Export qemu/ and linux/ as git format-patch series against the pristine base
# trees: build/patches/qemu/*.patch and build/patches/linux/*.patch.
#
# The series mirrors this repository's history: one patch per commit that
# touched the overlay, with the commit's author, date and message.  Each
# patch is the diff of the base tree with the overlay as it stood after that
# commit (a file that leaves the overlay goes back to its base version).
. "$(dirname "$0")/lib.sh"

export_side() {
    local side=$1 prefix=$2 base=$3 tree_prefix=$4
    local work=$BUILD/patches/work-$side out=$BUILD/patches/$side
    rm -rf "$work" "$out"
    mkdir -p "$work" "$out"

    mapfile -t files < <(cd "$TOP" && git log --format= --name-only -- "$prefix/" |
                         sed -n "s|^$prefix/||p" | sort -u)
    if [ ${#files[@]} -eq 0 ]; then
        log "$side: nothing committed under $prefix/"
        return
    fi

    git -C "$work" init -q
    for f in "${files[@]}"; do
        if [ -f "$base/$tree_prefix$f" ]; then
            mkdir -p "$work/$(dirname "$tree_prefix$f")"
            cp "$base/$tree_prefix$f" "$work/$tree_prefix$f"
        fi
    done
    mapfile -t removals < <(awk -v s="$side" '$1 == s { print $2 }' "$TOP/config/base-removals.txt")
    for f in "${removals[@]}"; do
        mkdir -p "$work/$(dirname "$f")"
        cp "$base/$f" "$work/$f"
    done
    # -f: base trees (Debian's kernel) may carry .gitignore rules matching them
    git -C "$work" add -A -f
    git -C "$work" -c user.name=base -c user.email=base@localhost \
        commit -q --allow-empty -m "base"

    local c
    for c in $(cd "$TOP" && git rev-list --reverse HEAD -- "$prefix/"); do
        for f in "${files[@]}"; do
            local dst=$work/$tree_prefix$f
            if (cd "$TOP" && git cat-file -e "$c:$prefix/$f" 2>/dev/null); then
                mkdir -p "$(dirname "$dst")"
                (cd "$TOP" && git show "$c:$prefix/$f") > "$dst"
                if (cd "$TOP" && git ls-tree "$c" -- "$prefix/$f" | grep -q '^100755'); then
                    chmod +x "$dst"
                else
                    chmod -x "$dst"
                fi
            elif [ -f "$base/$tree_prefix$f" ]; then
                cp "$base/$tree_prefix$f" "$dst"
            else
                rm -f "$dst"
            fi
        done
        git -C "$work" add -A -f
        git -C "$work" diff --cached --quiet && continue
        (
            cd "$TOP"
            GIT_AUTHOR_NAME=$(git log -1 --format=%an "$c") \
            GIT_AUTHOR_EMAIL=$(git log -1 --format=%ae "$c") \
            GIT_AUTHOR_DATE=$(git log -1 --format=%aD "$c") \
            git -C "$work" -c user.name="$(git log -1 --format=%cn "$c")" \
                -c user.email="$(git log -1 --format=%ce "$c")" \
                commit -q -F <(git log -1 --format=%B "$c")
        )
    done
    if [ ${#removals[@]} -gt 0 ]; then
        (cd "$work" && git rm -q "${removals[@]}")
        (
            cd "$TOP"
            git -C "$work" -c user.name="$(git log -1 --format=%an)" \
                -c user.email="$(git log -1 --format=%ae)" commit -q \
                -m "$side: remove the files our series replaces" \
                -m "$(printf 'The new implementation does not use them:\n%s' "$(printf '  %s\n' "${removals[@]}")")"
        )
    fi
    local root
    root=$(git -C "$work" rev-list --max-parents=0 HEAD)
    git -C "$work" format-patch -q --signoff -o "$out" "$root..HEAD"
    # The whole change as one patch too: the style check reads the final code.
    local squashed
    squashed=$(cd "$TOP" &&
        GIT_AUTHOR_NAME=$(git log -1 --format=%an) GIT_AUTHOR_EMAIL=$(git log -1 --format=%ae) \
        git -C "$work" -c user.name="$(git log -1 --format=%an)" \
            -c user.email="$(git log -1 --format=%ae)" \
            commit-tree "HEAD^{tree}" -p "$root" -m "$side: virtio-crypto, the whole series" \
            -m "All patches of build/patches/$side/ squashed into one, for the style check.")
    git -C "$work" format-patch -q --signoff --stdout -1 "$squashed" \
        > "$BUILD/patches/$side-squashed.patch"
    log "$side: $(ls "$out" | wc -l) patches in $out"
}

export_side qemu qemu "$BUILD/base/qemu" ""
export_side linux linux "$BUILD/base/linux" ""
