#!/bin/sh
# Vendors the chart libraries drawn in the page: vega, vega-lite and vega-embed, their
# minified browser builds (UMD: globals vega, vegaLite, vegaEmbed) and licences, into
# static/vendor/vega/. The server draws the same specifications with vl-convert-python
# (pyproject.toml); keep the Vega-Lite major version of both the same.
#
# Run from the repository's root, with npm (it only downloads from the npm registry);
# nothing is fetched at run time: the copied files are committed.
#   scripts/vendor-charts.sh            # the versions below
#   VEGA=6.4.0 scripts/vendor-charts.sh # another one
# Then update the table in static/vendor/README.md if a version changed.
set -eu

VEGA=${VEGA:-6.4.0}
VEGA_LITE=${VEGA_LITE:-6.5.0}
VEGA_EMBED=${VEGA_EMBED:-7.3.0}

dest=static/vendor/vega
[ -d static/vendor ] || { echo "run from the repository's root" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

(cd "$tmp" && npm pack -q "vega@$VEGA" "vega-lite@$VEGA_LITE" "vega-embed@$VEGA_EMBED" >/dev/null)
mkdir -p "$dest"
for spec in "vega:$VEGA" "vega-lite:$VEGA_LITE" "vega-embed:$VEGA_EMBED"; do
  name=${spec%%:*}
  version=${spec#*:}
  mkdir "$tmp/$name"
  tar xzf "$tmp/$name-$version.tgz" -C "$tmp/$name"
  # The .map files are not vendored: drop the comment pointing at them (whitenoise's
  # manifest storage refuses a reference to a missing file).
  sed '/sourceMappingURL/d' "$tmp/$name/package/build/$name.min.js" >"$dest/$name.min.js"
  cp "$tmp/$name/package/LICENSE" "$dest/LICENSE-$name"
  echo "$name $version"
done >"$dest/VERSIONS"

cat "$dest/VERSIONS"
du -ch "$dest"/*.min.js | tail -1
