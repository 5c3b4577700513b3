#!/usr/bin/env bash
# The AI-BOMs of `lineage bom` on real output: tests/cli/bom_check.py
# validates every CycloneDX document against the CycloneDX 1.6 JSON schema
# (offline, tests/fixtures/schemas/cyclonedx/) and checks the SPDX ones, for
# a root, a deep chain, a merge, a Hugging Face card and every model of the
# shipped catalog and the fixtures, each run twice (same bytes).
# Exits 77 (skipped) without python3-jsonschema.
set -u
bin=${1:?usage: bom.sh path/to/lineage}
case $bin in /*) ;; *) bin=$PWD/$bin ;; esac
cd "$(dirname "$0")/../.." || exit 2
if ! python3 -c 'import jsonschema' 2>/dev/null; then
	echo "bom: python3-jsonschema is not installed (apt-get install python3-jsonschema): skipped"
	exit 77
fi
unset LINEAGE_DATA
if [ -z "${LINEAGE_CACHE:-}" ]; then
	LINEAGE_CACHE=$(mktemp -d)
	trap 'rm -rf "$LINEAGE_CACHE"' EXIT
	export LINEAGE_CACHE
fi
python3 tests/cli/bom_check.py "$bin"
