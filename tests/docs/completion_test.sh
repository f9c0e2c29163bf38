#!/usr/bin/env bash
# completion_test.sh SCRIPT BINDIR "KERNELS" [PARKIT]: sources the bash completion SCRIPT, puts
# BINDIR (the kernel programs) on PATH, and completes command lines the way bash would (COMP_WORDS,
# COMP_CWORD, the function `complete -p` names), comparing COMPREPLY with the expected words.
# Kernel programs: options from --describe, and the same from --help without python3; values of
# --rank-schedule, --source, --class; files for --checkpoint and --image. With PARKIT (the front
# end): its subcommands, `parkit run KERNEL` (KERNELS), --model, and a kernel program's options
# after `--`. Prints "ok:" per case, "FAIL:" per mismatch, "PASS: completion" at the end.
set -u
script=$1 bindir=$2 kernels=$3 parkit=${4-}
PATH=$bindir:$PATH
# shellcheck source=/dev/null
source "$script" || { echo "FAIL: cannot source $script"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/sub"
: >"$tmp/a.png"
: >"$tmp/b.txt"
cases=0 failed=0

# complete WORD... : the words of the command line, the last one being completed ('' = a new word)
complete_words() {
    local spec func
    COMP_WORDS=("$@")
    COMP_CWORD=$(($# - 1))
    COMP_LINE="$*"
    COMP_POINT=${#COMP_LINE}
    COMPREPLY=()
    spec=$(complete -p "${1##*/}" 2>/dev/null) || { echo "no completion for ${1##*/}"; return 1; }
    func=${spec#*-F }
    func=${func%% *}
    "$func" "${1##*/}" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]-}"
}

# check "EXPECTED WORDS" WORD...: the completion of the command line WORD... is EXPECTED (any order)
check() {
    local want=$1 got
    shift
    cases=$((cases + 1))
    complete_words "$@"
    got=$(printf '%s\n' "${COMPREPLY[@]}" | sed '/^$/d' | sort | tr '\n' ' ')
    # shellcheck disable=SC2086 # the expected words, split
    want=$(printf '%s\n' $want | sed '/^$/d' | sort | tr '\n' ' ')
    if [ "$got" = "$want" ]; then
        echo "ok: $* -> ${got:-(nothing)}"
    else
        echo "FAIL: '$*' completes to [${got}], expected [${want}]"
        failed=$((failed + 1))
    fi
}

check "--repeat" sum_omp --rep
check "--checkpoint --checkpoint-every" sum_omp --json --che
check "static dynamic guided" mandel_mpi --rank-schedule ''
check "dynamic" sum_hybrid --rank-schedule d
check "range array" sum_omp --source ''
check "range array" sum_omp --source = ''     # --source=
check "array" sum_omp --source = a           # --source=a
check "S W A B C D E" ep_omp --class ''
check "" sum_omp --n ''                      # a number: nothing to offer
check "$tmp/a.png $tmp/sub" mandel_omp --image "$tmp/"
check "$tmp/a.png $tmp/b.txt $tmp/sub" sum_omp --checkpoint "$tmp/"
check "--help" "$bindir/pi_omp" --he         # by path
all_sum=$(sum_omp --describe | python3 -c 'import json,sys; print(" ".join("--"+o["name"] for o in json.load(sys.stdin)["options"]))')
check "$all_sum --help --version" sum_omp ''

# Every kernel program: the options from --describe (python3) and from --help (without it) agree,
# name, kind (flag or not) and metavar, so the fallback is as good as the JSON.
nopython=$(mktemp -d) # every command of PATH but python3
trap 'rm -rf "$tmp" "$nopython"' EXIT
IFS=: read -r -a path_dirs <<<"$PATH"
for d in "${path_dirs[@]}"; do
    for f in "$d"/*; do
        case ${f##*/} in python3 | python3.*) continue ;; esac
        [ -x "$f" ] && [ ! -e "$nopython/${f##*/}" ] && ln -s "$f" "$nopython/${f##*/}"
    done
done
for k in $kernels; do
    for model in omp mpi hybrid; do
        prog=$bindir/${k}_$model
        [ -x "$prog" ] || continue
        cases=$((cases + 1))
        _parkit_comp_cache=()
        with=$(_parkit_comp_options "$prog" | awk -F'\t' '{print $1, ($2 == "flag" ? "flag" : "value"), $3}' | sort)
        _parkit_comp_cache=()
        without=$(PATH=$nopython; _parkit_comp_options "$prog" | awk -F'\t' '{print $1, $2, $3}' | sort)
        if [ -n "$with" ] && [ "$with" = "$without" ]; then
            echo "ok: ${prog##*/}: --describe and --help give the same $(wc -l <<<"$with") options"
        else
            echo "FAIL: ${prog##*/}: --describe gives"; echo "$with"; echo "--- and --help gives"; echo "$without"
            failed=$((failed + 1))
        fi
    done
done
# and completing without python3 at all
_parkit_comp_cache=()
saved_path=$PATH
PATH=$nopython
check "range array" sum_omp --source ''
check "--repeat" sum_omp --rep
check "$tmp/a.png $tmp/sub" mandel_omp --image "$tmp/"
PATH=$saved_path

if [ -n "$parkit" ]; then
    _parkit_comp_cache=()
    check "list run limits bench report new-kernel" parkit ''
    check "--version" parkit --v
    check "--names" parkit list --n
    check "omp mpi hybrid" parkit run --model ''
    check "omp mpi hybrid" parkit run sum --model ''
    check "--model --mpirun" parkit run --m
    check "$kernels" parkit run ''
    check "--model --mpirun" parkit run sum --m
    check "--repeat" parkit run sum -- --rep
    check "static dynamic guided" parkit run sum --model mpi -np 2 -- --json --rank-schedule ''
    check "scaling omp-tune rank-tune compare model sum-targets" parkit bench ''
    check "$tmp/a.png $tmp/sub" parkit report --plot "$tmp/"
fi

if [ "$failed" -ne 0 ]; then
    echo "FAIL: $failed of $cases completion cases"
    exit 1
fi
echo "PASS: completion, $cases cases"
