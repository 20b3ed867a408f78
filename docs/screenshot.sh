#!/usr/bin/env bash
# Refreshes the screenshots (docs/screenshot.png, docs/schema.png): runs the browser test on a fresh graph and has it
# save its pictures here. Needs what the tests need: PostgreSQL (an engine or local binaries) and Chromium (docs/testing.md).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

SCREENSHOT_DIR="$PWD/docs" dotnet test --project tests/IntegrationTests -- \
  --filter-method "IntegrationTests.BrowserTests.Add_see_mark_done_and_delete_a_todo_then_open_the_schema_page"
