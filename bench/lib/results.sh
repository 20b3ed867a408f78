# The run's results (sourced by bench/run and the scenarios). A scenario records each measured variant once, with all its
# values; bench_table turns the records into the one Markdown table: median, min, max, and the ratio of the median to
# the baseline(s) measured in the same run, checked against the target.
#
#   bench_record <scenario> <variant> <unit> <baselines> <target> <value>...
#     baselines: "-" for a baseline itself, else variant names of the same scenario separated by "|" (the first is the
#     one the target applies to); target: "-", "<=1.30" or ">=0.50" (a ratio).
#   bench_phase <scenario> <variant> <phase> <value>...   one phase of a start-up timeline (seconds since the start)

bench_record() {
  local IFS=' '
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" "${*:6}" >>"$BENCH_RESULTS"
}

bench_phase() {
  local IFS=' '
  printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "${*:4}" >>"$BENCH_PHASES"
}

# The median of its arguments (numbers).
bench_median() {
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# The Markdown table of every record so far, then the start-up phases (medians) when any were recorded.
bench_table() {
  awk -F'\t' '
    function stats(values,   v, n, i, j, t) {
      n = split(values, v, " ")
      for (i = 2; i <= n; i++) for (j = i; j > 1 && v[j - 1] + 0 > v[j] + 0; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
      lo = v[1]; hi = v[n]; runs = n
      return (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
    }
    { row[NR] = $0; med[$1 "\t" $2] = stats($6) }
    END {
      print "| scenario | variant | runs | median | min | max | ratio to baseline | target |"
      print "|---|---|---:|---:|---:|---:|---|---|"
      for (r = 1; r <= NR; r++) {
        split(row[r], f, "\t"); m = stats(f[6]); ratio = ""; verdict = ""
        if (f[4] != "-") {
          nb = split(f[4], base, "|")
          for (b = 1; b <= nb; b++) {
            key = f[1] "\t" base[b]
            if (!(key in med) || med[key] == 0) continue
            q = m / med[key]
            ratio = ratio (ratio == "" ? "" : "; ") sprintf("%.2f× %s", q, base[b])
            if (b == 1 && f[5] != "-") {
              limit = substr(f[5], 3) + 0; op = substr(f[5], 1, 2)
              # "<>2": within 2× either way (an estimate against what it estimates).
              met = (op == "<=") ? q <= limit : (op == ">=") ? q >= limit : q <= limit && q >= 1 / limit
              verdict = sprintf("%s %s: %s", (op == "<=") ? "≤" : (op == ">=") ? "≥" : "within ×", limit, met ? "met" : "**missed**")
            }
          }
        }
        printf "| %s | %s | %d | %s %s | %s | %s | %s | %s |\n", f[1], f[2], runs, m, f[3], lo, hi, ratio, verdict
      }
    }' "$BENCH_RESULTS"
  if [[ -s "$BENCH_PHASES" ]]; then
    printf '\nStart-up phases (median seconds since the command started; "-": not seen):\n\n'
    awk -F'\t' '
      function median(values,   v, n, i, j, t) {
        n = split(values, v, " ")
        for (i = 2; i <= n; i++) for (j = i; j > 1 && v[j - 1] + 0 > v[j] + 0; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
        return (n % 2) ? v[(n + 1) / 2] : sprintf("%.3f", (v[n / 2] + v[n / 2 + 1]) / 2)
      }
      {
        key = $1 " — " $2; if (!(key in seen)) { seen[key] = 1; keys[++nk] = key }
        if (!($3 in known)) { known[$3] = 1; phases[++np] = $3 }
        cell[key, $3] = ($4 ~ /-/) ? "-" : median($4)
      }
      END {
        header = "| run |"; line = "|---|"
        for (p = 1; p <= np; p++) { header = header " " phases[p] " |"; line = line "---:|" }
        print header; print line
        for (k = 1; k <= nk; k++) {
          out = "| " keys[k] " |"
          for (p = 1; p <= np; p++) out = out " " (((keys[k], phases[p]) in cell) ? cell[keys[k], phases[p]] : "") " |"
          print out
        }
      }' "$BENCH_PHASES"
  fi
}
