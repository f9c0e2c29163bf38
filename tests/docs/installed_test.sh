#!/usr/bin/env bash
# installed_test.sh BUILD PREFIX MANDIR COMPDIR PROGRAMS SKIP: installs the docs component of BUILD
# into PREFIX (cmake --install --component docs) and checks what a user gets: the bash completion
# under every command's name in PREFIX/COMPDIR (the same script, registering that command when
# sourced the way bash-completion does), and `man NAME` finding and showing each page in
# PREFIX/MANDIR. PROGRAMS: comma-separated command names. SKIP (non-empty): why there are no pages.
set -u
build=$1 prefix=$2 mandir=$3 compdir=$4 programs=$5 skip=${6-}
fail() { echo "FAIL: $*"; exit 1; }
rm -rf "$prefix"
cmake --install "$build" --prefix "$prefix" --component docs >/dev/null || fail "cmake --install --component docs"
IFS=, read -r -a names <<<"$programs"
for name in "${names[@]}"; do
    file=$prefix/$compdir/$name
    cmp -s "$file" "$build/completion/parkit" || fail "$file is not the completion script"
    func=$(bash -c 'source "$1" && complete -p "$2"' sh "$file" "$name" 2>&1) || fail "sourcing $file registers nothing for $name: $func"
    case $func in *" -F _parkit"*" $name") ;; *) fail "$name: $func" ;; esac
done
echo "ok: the completion is installed under ${#names[@]} names and registers each"
if [ -n "$skip" ]; then
    echo "SKIPPED: man pages: $skip"
    exit 0
fi
for name in "${names[@]}"; do
    page=$(man -M "$prefix/$mandir" -w "$name" 2>&1) || fail "man -w $name: $page"
    [ "$page" = "$prefix/$mandir/man1/$name.1" ] || fail "man -w $name found '$page'"
    text=$(MANWIDTH=80 man -M "$prefix/$mandir" -P cat "$name" 2>&1) || fail "man $name: $text"
    grep -q "^NAME" <<<"$text" && grep -Eq "^ +$name +- " <<<"$text" && grep -q "^EXIT STATUS" <<<"$text" ||
        fail "man $name shows no NAME line or no EXIT STATUS:"$'\n'"$text"
done
echo "ok: man finds and shows ${#names[@]} pages in $prefix/$mandir"
echo "PASS: installed"
