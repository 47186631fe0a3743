#!/usr/bin/env bash
# Builds the front-end assets into web/static/dist (git-ignored, embedded in
# the binary by web.go): caseboard.css compiled from
# web/assets/scss/caseboard.scss, the GOV.UK Frontend and MOJ Frontend
# browser modules that web/static/app.js imports, and the MOJ icons the CSS
# refers to. Run after `npm ci`, from anywhere. Prints one line on
# success; anything else is a warning or an error.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

dist=web/static/dist
govuk=node_modules/govuk-frontend/dist/govuk
moj=node_modules/@ministryofjustice/frontend/moj

if [[ ! -d $govuk || ! -d $moj || ! -x node_modules/.bin/sass ]]; then
	echo "build.sh: front-end packages missing: run npm ci (or npm install) at the repository root" >&2
	exit 1
fi

# Start from empty so that a file dropped from the build does not linger in
# the embedded assets.
rm -rf "$dist"
mkdir -p "$dist/images"

npm run --silent build:css
cp "$govuk/govuk-frontend.min.js" "$moj/moj-frontend.min.js" "$dist/"
# Only the icons: MOJ's assets also hold crown and crest images, which
# caseboard must not serve.
cp "$moj"/assets/images/icon-*.svg "$dist/images/"

echo "assets built in $dist"
