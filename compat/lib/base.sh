# The release compat/run checks against (sourced): which commit it is, its build, and its smoke suite.
# Needs COMPAT_ROOT (this checkout) and COMPAT_WORK (the run's scratch folder).

# The newest release recorded in compat/releases: "<version> <commit>".
compat_newest_release() {
  awk '!/^#/ && NF >= 2 { line = $1 " " $2 } END { if (line) print line }' "$COMPAT_ROOT/compat/releases"
}

# Sets COMPAT_BASE_COMMIT and COMPAT_BASE_NAME (the release's version, else the ref as given) for a ref, or for the
# newest release when the ref is empty. A version recorded in compat/releases is a ref too, so tags need not travel.
compat_resolve_base() {
  local ref=$1 version recorded
  if [[ -z "$ref" ]]; then
    read -r version ref < <(compat_newest_release) || true
    [[ -n "$ref" ]] || { echo "compat: compat/releases records no release; give one with --base <git-ref>" >&2; return 2; }
  fi
  recorded=$(awk -v ref="$ref" '!/^#/ && $1 == ref { print $2 }' "$COMPAT_ROOT/compat/releases")
  COMPAT_BASE_COMMIT=$(git -C "$COMPAT_ROOT" rev-parse --verify --quiet "${recorded:-$ref}^{commit}") || {
    echo "compat: '$ref' is no commit, tag or branch of this clone (a shallow clone lacks older commits: fetch them)" >&2
    return 2
  }
  COMPAT_BASE_NAME=$(awk -v commit="$COMPAT_BASE_COMMIT" '!/^#/ && $2 == commit { print $1 }' "$COMPAT_ROOT/compat/releases")
  COMPAT_BASE_NAME=${COMPAT_BASE_NAME:-$ref}
}

# Sets COMPAT_BASE_DIR to the base's source, built (its web app, worker, AppHost and integration tests). Kept under
# COMPAT_CACHE (default compat/.cache), one folder per commit, and built once: DCP runs the base's projects from there.
compat_build_base() {
  local cache=${COMPAT_CACHE:-$COMPAT_ROOT/compat/.cache}
  COMPAT_BASE_DIR=$cache/$COMPAT_BASE_COMMIT
  mkdir -p "$cache"
  # One builder per commit at a time; a second run waits for the first one's build and reuses it.
  exec {lock}>"$COMPAT_BASE_DIR.lock"
  flock "$lock"
  if [[ ! -e "$COMPAT_BASE_DIR/.compat-built" ]]; then
    echo "compat: building $COMPAT_BASE_NAME ($(git -C "$COMPAT_ROOT" rev-parse --short "$COMPAT_BASE_COMMIT")) into $COMPAT_BASE_DIR" >&2
    # An export of the commit, not a registered worktree: nothing to prune, and the cache outlives the run.
    rm -rf "$COMPAT_BASE_DIR"
    mkdir -p "$COMPAT_BASE_DIR"
    git -C "$COMPAT_ROOT" archive "$COMPAT_BASE_COMMIT" | tar -x -C "$COMPAT_BASE_DIR"
    if ! (cd "$COMPAT_BASE_DIR" && dotnet build tests/IntegrationTests --disable-build-servers -v q -nologo) >"$COMPAT_WORK/base-build.log" 2>&1; then
      tail -n 20 "$COMPAT_WORK/base-build.log" >&2
      echo "compat: the base did not build (log above)" >&2
      flock -u "$lock"
      return 2
    fi
    touch "$COMPAT_BASE_DIR/.compat-built"
  fi
  flock -u "$lock"
}

# Sets COMPAT_SMOKE_FILTER (an array of test filter options) to the base's smoke suite: the options recorded in
# compat/smoke/<version> for a release that predates the Smoke trait, else every test marked [Trait("Category", "Smoke")].
# COMPAT_SMOKE_CLASS (a test class of the base) narrows it to that class: compat/selftest needs only the API's tests to
# see the check fail and pass, and runs it four times.
compat_smoke_filter() {
  local recorded=$COMPAT_ROOT/compat/smoke/$COMPAT_BASE_NAME words
  COMPAT_SMOKE_FILTER=()
  if [[ -n "${COMPAT_SMOKE_CLASS:-}" ]]; then
    COMPAT_SMOKE_FILTER=(--filter-class "$COMPAT_SMOKE_CLASS")
  elif [[ -f "$recorded" ]]; then
    while read -ra words; do
      COMPAT_SMOKE_FILTER+=("${words[@]}")
    done < <(grep -v -e '^#' -e '^[[:space:]]*$' "$recorded")
  else
    COMPAT_SMOKE_FILTER=(--filter-trait Category=Smoke)
  fi
}
