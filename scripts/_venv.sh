# Shared by scripts/start and scripts/test (sourced, not run): find Python 3.11, make
# .venv with it, and install the project into it when pyproject.toml has changed.

find_python() {
    local candidate
    for candidate in "${PYTHON:-}" python3.11 python3; do
        [ -n "$candidate" ] || continue
        command -v "$candidate" >/dev/null 2>&1 || continue
        if "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then
            echo "$candidate"
            return 0
        fi
    done
    echo "legaltracker needs Python 3.11: install it (python3.11 on the PATH), or set PYTHON=/path/to/python3.11." >&2
    return 1
}

ensure_venv() {
    if [ -x .venv/bin/python ] \
        && .venv/bin/python -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then
        return 0
    fi
    local python
    python="$(find_python)"
    if [ -e .venv ]; then
        echo "Recreating .venv: it does not run Python 3.11."
        rm -rf .venv
    fi
    echo "Creating .venv with $("$python" --version 2>&1) ..."
    if ! "$python" -m venv .venv; then
        echo "Could not create .venv. On Debian or Ubuntu install the venv module: apt-get install python3.11-venv" >&2
        return 1
    fi
}

# install_project [extra]: pip install -e '.[extra]' unless this exact pyproject.toml was
# already installed with that extra (a stamp in .venv records it), so reruns are quick.
install_project() {
    local extra="${1:-}" target="." stamp
    [ -z "$extra" ] || target=".[$extra]"
    stamp=".venv/.installed${extra:+-$extra}"
    local digest
    digest="$(.venv/bin/python -c 'import hashlib, sys; print(hashlib.sha256(open("pyproject.toml", "rb").read()).hexdigest())')"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$digest" ]; then
        return 0
    fi
    echo "Installing $target into .venv (quietly; this takes a minute the first time) ..."
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -e "$target"
    echo "$digest" > "$stamp"
}
