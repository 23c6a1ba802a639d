#!/usr/bin/env bash
# Installs everything the test suite needs, on a fresh machine or again on a used one
# (each step checks first and only does what is missing):
#   1. Debian packages, as root: Chromium (axe-core and Ace run in it), LibreOffice
#      Writer and poppler (DOCX -> PDF checks), calibre (ebook-meta and ebook-convert:
#      the e-books in a real reading system), fonts, and a Java runtime when there
#      is none (vnu, EPUBCheck).
#   2. .venv with healthinfo and its test extras (pytest, hypothesis, pandoc through
#      pypandoc-binary).
#   3. validators/node_modules: `npm ci` of the committed validators/package-lock.json
#      (vnu-jar, axe-core, playwright-core, @daisy/ace-cli, citeproc as the oracle); no
#      install scripts run and no browser is downloaded. healthinfo/csl/js/node_modules:
#      citeproc-js, which healthinfo runs to format references.
# A validator that is still missing makes its tests fail with this script's name.
set -euo pipefail
cd "$(dirname "$0")/.."
say() { printf 'setup-test-tools: %s\n' "$*"; }

# ---------------------------------------------------------------- 1. Debian packages
apt_pkgs=(chromium libreoffice-writer-nogui poppler-utils calibre fonts-liberation fonts-dejavu-core)
command -v java >/dev/null || apt_pkgs+=(default-jre-headless)
todo=()
for p in "${apt_pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || todo+=("$p")
done
if [ ${#todo[@]} -eq 0 ]; then
    say "apt: all ${#apt_pkgs[@]} packages installed"
elif [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "apt: installing ${todo[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${todo[@]}" >/dev/null
else
    say "apt: not root; ask an administrator to run: apt-get install -y ${todo[*]}"
fi

# ---------------------------------------------------------------- 2. Python
python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    "$python" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[test]"
say "python: $(.venv/bin/python -c 'import healthinfo; print("healthinfo", healthinfo.__version__)')"

# ---------------------------------------------------------------- 3. npm
if command -v npm >/dev/null; then
    if [ -f validators/node_modules/.package-lock.json ] \
        && cmp -s validators/package-lock.json validators/node_modules/.healthinfo-lock; then
        say "npm: up to date"
    else
        (cd validators && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
        cp validators/package-lock.json validators/node_modules/.healthinfo-lock
        say "npm: installed validators/node_modules"
    fi
    # citeproc-js, the CSL processor healthinfo itself runs (in mini-racer's V8) to
    # format references: part of the product, installed beside the Python package.
    if cmp -s healthinfo/csl/js/package-lock.json healthinfo/csl/js/node_modules/.healthinfo-lock 2>/dev/null; then
        say "npm: citeproc-js up to date"
    else
        npm ci --prefix healthinfo/csl/js --ignore-scripts --no-audit --no-fund --loglevel=error
        cp healthinfo/csl/js/package-lock.json healthinfo/csl/js/node_modules/.healthinfo-lock
        say "npm: installed citeproc-js in healthinfo/csl/js/node_modules"
    fi
else
    say "npm: not found (install nodejs and npm); references cannot be formatted, vnu, axe and Ace tests will fail"
fi
