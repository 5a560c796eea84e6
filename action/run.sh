#!/usr/bin/env bash
# The steps of the cleave GitHub Action (action.yml), as one script so that they can be run,
# and tested, outside GitHub: install a released cleave (checksum verified), lint with
# annotations, write SARIF, and put the report in the step summary.
#
# Inputs come from the environment: CLEAVE_VERSION (a release tag such as v1.2.0, or latest),
# CLEAVE_DIR, CLEAVE_FAIL_ON, CLEAVE_SARIF (a file to write, or empty), CLEAVE_REPORT (true to
# write the report to $GITHUB_STEP_SUMMARY), CLEAVE_ONLY_NEW (false, true, or a git revision:
# annotate and fail only on new findings), CLEAVE_BEFORE (a push's previous commit),
# CLEAVE_BIN (an installed cleave: skips the download), GITHUB_EVENT_NAME, GITHUB_BASE_REF,
# RUNNER_TEMP.
set -euo pipefail

if [ "${GITHUB_EVENT_NAME:-}" = "pull_request_target" ]; then
  # pull_request_target runs with the base repository's secrets on a stranger's code.
  echo "::error title=cleave::refusing to run on pull_request_target: use pull_request, which has no access to secrets"
  exit 2
fi

dir="${CLEAVE_DIR:-.}"
fail_on="${CLEAVE_FAIL_ON:-error}"
bin="${CLEAVE_BIN:-}"

if [ -z "$bin" ]; then
  version="${CLEAVE_VERSION:-latest}"
  repo="cleave-dev/cleave"
  if [ "$version" = "latest" ]; then
    version="$(curl -fsSL -o /dev/null -w '%{url_effective}' "https://github.com/$repo/releases/latest")"
    version="${version##*/}"
  fi
  case "$(uname -s)" in
    Linux) os=linux ext=tar.gz ;;
    Darwin) os=darwin ext=tar.gz ;;
    MINGW*|MSYS*|CYGWIN*) os=windows ext=zip ;;
    *) echo "::error title=cleave::unsupported runner OS $(uname -s)"; exit 2 ;;
  esac
  case "$(uname -m)" in
    x86_64|amd64) arch=amd64 ;;
    arm64|aarch64) arch=arm64 ;;
    *) echo "::error title=cleave::unsupported runner architecture $(uname -m)"; exit 2 ;;
  esac
  archive="cleave_${version#v}_${os}_${arch}.${ext}"
  tmp="${RUNNER_TEMP:-$(mktemp -d)}/cleave-$version"
  mkdir -p "$tmp"
  base="https://github.com/$repo/releases/download/$version"
  curl -fsSL -o "$tmp/$archive" "$base/$archive"
  curl -fsSL -o "$tmp/checksums.txt" "$base/checksums.txt"
  want="$(awk -v f="$archive" '$2 == f {print $1}' "$tmp/checksums.txt")"
  if command -v sha256sum >/dev/null; then got="$(sha256sum "$tmp/$archive" | awk '{print $1}')"; else got="$(shasum -a 256 "$tmp/$archive" | awk '{print $1}')"; fi
  if [ -z "$want" ] || [ "$want" != "$got" ]; then
    echo "::error title=cleave::checksum mismatch for $archive (want ${want:-none}, got $got)"
    exit 2
  fi
  if [ "$ext" = zip ]; then unzip -q -o "$tmp/$archive" -d "$tmp"; bin="$tmp/cleave.exe"; else tar -xzf "$tmp/$archive" -C "$tmp"; bin="$tmp/cleave"; fi
fi
"$bin" version

# Only what the change introduces: the findings its base does not have.
new=()
case "${CLEAVE_ONLY_NEW:-false}" in
  false|"") ;;
  true)
    if [ -n "${GITHUB_BASE_REF:-}" ]; then
      base="origin/$GITHUB_BASE_REF"
      if ! git -C "$dir" rev-parse --verify -q "$base^{commit}" >/dev/null; then
        git -C "$dir" fetch -q --no-tags origin "+refs/heads/$GITHUB_BASE_REF:refs/remotes/$base"
      fi
      new=(--new-from-merge-base "$base")
    elif [ -n "${CLEAVE_BEFORE:-}" ] && [ "${CLEAVE_BEFORE}" != "0000000000000000000000000000000000000000" ]; then
      new=(--new-from-rev "$CLEAVE_BEFORE")
    else
      new=(--new-from-rev "HEAD~1")
    fi
    ;;
  *) new=(--new-from-rev "$CLEAVE_ONLY_NEW") ;;
esac

status=0
# Annotations: the github format prints the most important and writes the full list, with
# the summary, to $GITHUB_STEP_SUMMARY.
"$bin" lint --format github --fail-on "$fail_on" ${new[@]+"${new[@]}"} "$dir" || status=$?
if [ -n "${CLEAVE_SARIF:-}" ]; then
  "$bin" lint --format sarif -o "$CLEAVE_SARIF" "$dir" || [ $? -eq 1 ]
fi
if [ "${CLEAVE_REPORT:-true}" = "true" ] && [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  "$bin" report -q "$dir" >> "$GITHUB_STEP_SUMMARY" || true
fi
exit "$status"
