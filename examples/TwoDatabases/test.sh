#!/usr/bin/env bash
# Builds this solution from the repository's packages, as a solution of its own would take them, and runs its tests.
#   1. `dotnet pack Solution.sln -o artifacts/packages` at the repository root (warnings are errors there);
#   2. drops SafeMigrations* and LocalPostgres from this solution's own package folder (.packages, nuget.config), so the
#      1.1.0 just packed is restored, never an earlier build of the same version;
#   3. restores and builds TwoDatabases.sln, publishes its API (the worker must ride in migrator/), and runs its tests.
# The PostgreSQL mode is the caller's: set Postgres__Mode (and, for Container, Postgres__Image and Postgres__Tag) as
# .ci/run does. Arguments go to `dotnet test`.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

echo "--- pack the libraries"
dotnet pack "$root/Solution.sln" -o "$root/artifacts/packages" -warnaserror --nologo -v quiet

echo "--- forget earlier builds of the packages"
rm -rf "$here"/.packages/safemigrations "$here"/.packages/safemigrations.* "$here"/.packages/localpostgres

echo "--- restore and build from the packages"
dotnet build "$here/TwoDatabases.sln" -warnaserror --nologo -v quiet

echo "--- publish the API: the worker rides in its migrator/ folder (the SafeMigrations package's build targets)"
publish="$(mktemp -d)"
trap 'rm -rf "$publish"' EXIT
dotnet publish "$here/Api" -o "$publish" --nologo -v quiet
[[ -f "$publish/migrator/Migrator.dll" ]] || { echo "test.sh: the API's publish output has no migrator/Migrator.dll" >&2; exit 1; }

echo "--- test"
dotnet test --project "$here/Tests" --no-build "$@"
