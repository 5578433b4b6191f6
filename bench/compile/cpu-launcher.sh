#!/usr/bin/env bash
# A CMAKE_CXX_COMPILER_LAUNCHER / CMAKE_CXX_LINKER_LAUNCHER that rebuild.sh sets when CPU_LOG is
# given: runs one compile or link under /usr/bin/time and appends a line to $CPU_LOG:
#   compile|link  user-seconds  sys-seconds  output-file  source-file (compiles; "-" for links)
# output-file is absolute; user+sys include the compiler's own children (cc1plus, as, ld).
set -u
log=${CPU_LOG:?CPU_LOG: the file to append to}
kind=link out=- src=- prev=
for arg in "$@"; do
  case $prev in
    -o) out=$arg ;;
    -c) kind=compile; src=$arg ;;
  esac
  prev=$arg
done
[[ $out == - || $out == /* ]] || out=$PWD/$out
[[ $src == - || $src == /* ]] || src=$PWD/$src
times=$(mktemp)
/usr/bin/time -f '%U %S' -o "$times" "$@"
status=$?
# time(1) writes "Command exited with non-zero status N" first when the command fails.
read -r user sys < <(tail -n 1 "$times")
rm -f "$times"
printf '%s %s %s %s %s\n' "$kind" "$user" "$sys" "$out" "$src" >> "$log"
exit "$status"
