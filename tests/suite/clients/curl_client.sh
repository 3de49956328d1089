#!/bin/sh
# A small EM client in POSIX sh and curl: delete the first job, wait for its task, log out.
# Reads EM_URL (the API root), EM_USERNAME and EM_PASSWORD (curl itself reads
# CURL_CA_BUNDLE under TLS). Follows the Task's Href, polls once a second, reports a
# failed task, and stops with one line on stderr when the server answers an error.
set -u
api=${EM_URL%/}
work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT

logout=""
# On any error: log out (if logged on), say what failed on one line, exit 1.
fail() {
  [ -n "$logout" ] && curl -sS -o /dev/null -X DELETE -H "X-RestSvcSessionId: $token" "$logout"
  echo "error: $*" >&2
  exit 1
}
# call METHOD URL: the body on one line; curl -f turns an HTTP error into a failure.
call() {
  body=$(curl -sS -f -X "$1" -H "Accept: application/xml" -H "X-RestSvcSessionId: $token" "$2") \
    || fail "$1 $2 failed"
  printf '%s' "$body" | tr -d '\n'
}
attr() { sed -n "s/.*<$1[^>]* Href=\"\([^\"]*\)\".*/\1/p"; }

token=""
curl -sS -f -X POST -u "$EM_USERNAME:$EM_PASSWORD" -H "Accept: application/xml" \
  -D "$work/headers" -o "$work/session" "$api/sessionMngr/?v=latest" || fail "logon failed"
token=$(sed -n 's/^[Xx]-[Rr]est[Ss]vc[Ss]ession[Ii]d: *\([^[:space:]]*\).*/\1/p' "$work/headers")
[ -n "$token" ] || fail "the logon answered no X-RestSvcSessionId"
logout=$(tr -d '\n' < "$work/session" | sed -n 's/.*<Link Rel="Delete"[^>]* Href="\([^"]*\)".*/\1/p')

jobs=$(call GET "$api/jobs") || exit 1
job=$(printf '%s' "$jobs" | grep -o 'urn:veeam:Job:[0-9a-fA-F-]*' | head -n 1 | sed 's/.*://')
[ -n "$job" ] || fail "no job to delete"
task=$(call DELETE "$api/jobs/$job") || exit 1
href=$(printf '%s' "$task" | attr Task)
[ -n "$href" ] || fail "the Task has no Href"
polls=0
until printf '%s' "$task" | grep -q '<State>Finished</State>'; do
  polls=$((polls + 1))
  [ "$polls" -le 30 ] || fail "task $href did not finish"
  sleep 1
  task=$(call GET "$href") || exit 1
done
printf '%s' "$task" | grep -q 'Success="true"' || fail "deleting job $job failed"
curl -sS -f -o /dev/null -X DELETE -H "X-RestSvcSessionId: $token" "$logout" \
  || { echo "error: logout failed" >&2; exit 1; }
echo "deleted job $job"
