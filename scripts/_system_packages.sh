# Shared by scripts/test (sourced): the Debian packages some tests drive for real —
# Chromium for the browser tests, LibreOffice Writer and poppler for letters as PDF,
# redis-server for the alerts tests on the Redis broker (used when no Redis answers).
# Installed with apt-get when missing and we are root (as on CI); otherwise say how.

ensure_system_packages() {
    local missing=()
    command -v chromium >/dev/null 2>&1 || missing+=(chromium)
    command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-writer-nogui)
    command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
    command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
    [ ${#missing[@]} -eq 0 ] && return 0
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
            sudo="sudo"
        else
            echo "The tests need these Debian packages: ${missing[*]}." >&2
            echo "Install them with: sudo apt-get install -y ${missing[*]}" >&2
            return 1
        fi
    fi
    echo "Installing ${missing[*]} from Debian (once) ..."
    $sudo apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null
}
