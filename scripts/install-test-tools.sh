#!/bin/sh
# Install what the browser tests (tests/browser/) need on a fresh Debian machine, as root:
#   * Debian's chromium (Playwright drives /usr/bin/chromium; never `playwright install`,
#     which downloads its own browser builds),
#   * fonts (so text has real metrics for contrast/reflow checks),
#   * a Java runtime for the W3C Nu HTML checker (vnu.jar),
#   * axe-core, vnu-jar and DAISY Ace (@daisy/ace-cli, the EPUB accessibility checker) from npm
#     into .cache/node (gitignored); Ace's Puppeteer runs Debian's chromium, never a downloaded one.
# Idempotent: every step is skipped when its result is already present.
set -eu

ROOT=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
NODE_DIR=${PUBLISHER_NODE_DIR:-"$ROOT/.cache/node"}
AXE_VERSION=${AXE_VERSION:-4.14.1}
VNU_VERSION=${VNU_VERSION:-26.9.27}
ACE_VERSION=${ACE_VERSION:-1.4.6}
AXE_JS="$NODE_DIR/node_modules/axe-core/axe.min.js"
VNU_JAR="$NODE_DIR/node_modules/vnu-jar/build/dist/vnu.jar"
ACE_JS="$NODE_DIR/node_modules/@daisy/ace-cli/bin/ace.js"

missing=""
[ -x /usr/bin/chromium ] || missing="$missing chromium"
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing="$missing fonts-dejavu-core"
command -v java >/dev/null 2>&1 || missing="$missing default-jre-headless"
command -v npm >/dev/null 2>&1 || missing="$missing nodejs npm"

if [ -n "$missing" ]; then
    echo "install-test-tools: apt-get install$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update
    # shellcheck disable=SC2086  # word splitting of the package list is intended
    apt-get install -y --no-install-recommends $missing
fi

if [ -f "$AXE_JS" ] && [ -f "$VNU_JAR" ] && [ -f "$ACE_JS" ]; then
    echo "install-test-tools: axe-core, vnu-jar and ace-cli already in $NODE_DIR"
else
    mkdir -p "$NODE_DIR"
    # --ignore-scripts: vnu-jar's postinstall would fetch a Java runtime (the system java runs
    # vnu.jar) and Puppeteer's would fetch a browser (Ace is run with
    # PUPPETEER_EXECUTABLE_PATH=/usr/bin/chromium); PUPPETEER_SKIP_DOWNLOAD says the same twice.
    PUPPETEER_SKIP_DOWNLOAD=1 npm install --prefix "$NODE_DIR" --no-audit --no-fund --ignore-scripts \
        "axe-core@$AXE_VERSION" "vnu-jar@$VNU_VERSION" "@daisy/ace-cli@$ACE_VERSION"
fi

test -f "$AXE_JS"
test -f "$VNU_JAR"
test -f "$ACE_JS"
echo "install-test-tools: ok (chromium, java, $NODE_DIR/node_modules/{axe-core,vnu-jar,@daisy/ace-cli})"
