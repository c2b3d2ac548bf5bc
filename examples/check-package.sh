#!/usr/bin/env bash
# A stand-in for a per-package check (lint, tests): prints a few lines, takes a moment,
# and fails for one package so that the example shows a failure too.
set -euo pipefail
package="$1"
echo "Checking ${package} (task ${PARALLEL_SEQ}, worker ${PARALLEL_JOBSLOT})"
sleep "0.$(( ${#package} % 5 + 2 ))"
if [[ "$package" == */legacy ]]; then
  echo "${package}/index.js:12:3: error: 'require' is not allowed in an ES module" >&2
  exit 1
fi
echo "${package}: 0 problems"
