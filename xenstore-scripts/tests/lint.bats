#!/usr/bin/env bats
# shellcheck of every script (the sourced library through its users).

load helpers

lint() {
	command -v shellcheck >/dev/null || skip "shellcheck is not installed (make deps installs it)"
	run shellcheck -x "$@"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
}

@test "shellcheck_xvif-common.sh" { cd "$SRC" && lint xvif-common.sh; }
@test "shellcheck_xvif-bridge" { cd "$SRC" && lint xvif-bridge; }
@test "shellcheck_xvif-route" { cd "$SRC" && lint xvif-route; }
@test "shellcheck_xvif-nat" { cd "$SRC" && lint xvif-nat; }
@test "shellcheck_xvif-openvswitch" { cd "$SRC" && lint xvif-openvswitch; }
@test "shellcheck_xlconf-edit.sh" { cd "$SRC" && lint xlconf-edit.sh; }
@test "shellcheck_test_fakes" { cd "$SRC" && lint tests/fakes/* tests/run.sh; }
