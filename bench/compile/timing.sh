# shellcheck shell=bash
# shellcheck disable=SC2154  # repeat, markdown and work are the sourcing script's
# What bench/compile's per-file scripts share (sourced, not run): one table row per compile,
# the medians of REPEAT runs under /usr/bin/time. The sourcing script sets `repeat`,
# `markdown` (1: markdown table rows) and `work` (a scratch folder).

# The median of the numbers on standard input, one per line.
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

# The table's head, when markdown rows were asked for.
timing_header() {
  if [[ $markdown -eq 1 ]]; then
    echo "| file | wall (s) | CPU user+sys (s) | peak RSS (MB) |"
    echo "|---|---|---|---|"
  fi
}

# timing_row LABEL WIDTH COMMAND...: runs COMMAND `repeat` times and prints LABEL with the
# median wall time, CPU time (user+sys) and peak RSS: a markdown row, or a line with LABEL
# padded to WIDTH.
timing_row() {
  local label=$1 width=$2
  shift 2
  : > "$work/times"
  for _ in $(seq "$repeat"); do
    /usr/bin/time -f "%e %U %S %M" -o "$work/t" "$@"
    cat "$work/t" >> "$work/times"
  done
  local wall cpu rss
  wall=$(awk '{print $1}' "$work/times" | median)
  cpu=$(awk '{print $2 + $3}' "$work/times" | median)
  rss=$(awk '{print $4 / 1024}' "$work/times" | median)
  if [[ $markdown -eq 1 ]]; then
    printf '| %s | %.1f | %.1f | %.0f |\n' "$label" "$wall" "$cpu" "$rss"
  else
    printf '%-*s wall %6.1f s  cpu %6.1f s  rss %6.0f MB\n' "$width" "$label" "$wall" "$cpu" "$rss"
  fi
}
