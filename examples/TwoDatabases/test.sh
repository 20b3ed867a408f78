#!/usr/bin/env bash
# Builds this solution from the repository's packages, as a solution of its own would take them, and runs its tests.
#   1. `dotnet pack Solution.sln -o artifacts/packages` at the repository root (warnings are errors there);
#   2. drops SafeMigrations* and LocalPostgres from this solution's own package folder (.packages, nuget.config), so the
#      1.1.0 just packed is restored, never an earlier build of the same version;
#   3. restores and builds TwoDatabases.sln, publishes its API (the worker must ride in migrator/), and runs its tests.
# The PostgreSQL mode is the caller's: set Postgres__Mode (and, for Container, Postgres__Image and Postgres__Tag) as
# .ci/run does. Arguments go to `dotnet test`; a first argument --tests-only skips steps 1-3 but the tests themselves, for
# a second run (in another mode) of what an earlier one packed and built.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

if [[ "${1:-}" == --tests-only ]]; then
  shift
  echo "--- test, as built before"
  dotnet test --project "$here/Tests" --no-build "$@"
  echo "--- done (${SECONDS} s)"
  exit 0
fi

echo "--- pack the libraries"
dotnet pack "$root/Solution.sln" -o "$root/artifacts/packages" -warnaserror --nologo -v quiet

echo "--- forget earlier builds of the packages (${SECONDS} s)"
rm -rf "$here"/.packages/safemigrations "$here"/.packages/safemigrations.* "$here"/.packages/localpostgres

# Everything else may come from the user-wide package cache, in place (a fallback folder: nothing is copied), unless that
# cache holds a build of these packages itself, which could be stale.
user_cache="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
fallback=()
if [[ -d "$user_cache" ]] && ! compgen -G "$user_cache/safemigrations*" >/dev/null && [[ ! -e "$user_cache/localpostgres" ]]; then
  fallback=("-p:RestoreFallbackFolders=$user_cache")
fi

echo "--- restore and build from the packages (${SECONDS} s)"
# --force: a restore with the same inputs is otherwise skipped, and would keep what an earlier build of the packages
# brought (their build targets' imports, say).
dotnet restore "$here/TwoDatabases.sln" --force --nologo -v quiet "${fallback[@]}"
dotnet build "$here/TwoDatabases.sln" --no-restore -warnaserror --nologo -v quiet

echo "--- publish the API: the worker rides in its migrator/ folder, by the SafeMigrations package's build targets (${SECONDS} s)"
publish="$(mktemp -d)"
trap 'rm -rf "$publish"' EXIT
dotnet publish "$here/Api" -c Debug --no-build -o "$publish" --nologo -v quiet
[[ -f "$publish/migrator/Migrator.dll" ]] || { echo "test.sh: the API's publish output has no migrator/Migrator.dll" >&2; exit 1; }

echo "--- test (${SECONDS} s)"
dotnet test --project "$here/Tests" --no-build "$@"
echo "--- done (${SECONDS} s)"
