#!/bin/bash
# modinfo checks of the built module; prints result lines on stdout.
# usage: check-modinfo.sh MODULE.ko KDIR
set -u
ko=$1 kdir=$2
field() { modinfo -F "$1" "$ko" 2>/dev/null; }
res() { # res NAME OK DETAIL-IF-PASS WHY-IF-FAIL
	if [ "$2" = 1 ]; then echo "PASS netfront/modinfo-$1 $3"; else echo "FAIL netfront/modinfo-$1 $4"; fi
}

lic=$(field license)
res license "$([ "$lic" = GPL ] && echo 1)" "license=GPL" "license is '$lic', want GPL (xenbus and grant-table symbols are GPL-only)"

alias=$(field alias)
res alias "$(grep -qx 'xen:vif' <<<"$alias" && echo 1)" "alias xen:vif" "no 'xen:vif' alias (got '$alias'): udev would not load it for device/vif"

# Every parameter has a description: modinfo prints "name:description (type)".
bad=""; n=0
while IFS= read -r p; do
	[ -z "$p" ] && continue
	n=$((n + 1))
	desc=${p#*:}; desc=${desc% (*)}
	[ -n "$desc" ] && [ "$desc" != "$p" ] || bad="$bad ${p%%:*}"
done < <(field parm)
res params "$([ $n -gt 0 ] && [ -z "$bad" ] && echo 1)" "$n parameters, all documented" "undocumented parameters:${bad:- none found}"

want=$(sed -n 's/.*UTS_RELEASE "\(.*\)"/\1/p' "$kdir/include/generated/utsrelease.h" 2>/dev/null)
vm=$(field vermagic); vm=${vm%% *}
res vermagic "$([ -n "$want" ] && [ "$vm" = "$want" ] && echo 1)" "vermagic $vm" "vermagic '$vm' does not match $kdir ('$want')"

# The module must not need xen-netfront or anything outside the base kernel.
dep=$(field depends)
res depends "$([ -z "$dep" ] && echo 1)" "no module dependencies" "depends on '$dep'"
