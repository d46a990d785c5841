# shellcheck shell=bash
# Helpers that build an initramfs tree from the host's installed files
# (sourced by lib/build.sh). Layout is Debian 12's merged /usr.
#   mk_skel ROOT              empty tree with /bin -> usr/bin etc.
#   copy_file ROOT FILE...    copy FILE (dereferenced) to the same path in ROOT
#   copy_bin ROOT BIN...      copy ELF binaries and every library ldd lists
#   copy_bin_to ROOT DIR BIN  copy BIN into ROOT/DIR, with its libraries
#   copy_modules ROOT MOD...  copy kernel modules and their dependencies, depmod
#   busybox_links ROOT        busybox and its applet links (never over a real binary)
#   pack ROOT OUT.gz          newc cpio, gzip
: "${LAB_KVER:?LAB_KVER unset (mk/versions.env)}"

mk_skel() {
	local r=$1
	rm -rf "$r"
	mkdir -p "$r"/{usr/bin,usr/sbin,usr/lib/x86_64-linux-gnu,usr/lib64,etc,proc,sys,dev,run,tmp,root,var,mnt}
	ln -s usr/bin "$r/bin"; ln -s usr/sbin "$r/sbin"
	ln -s usr/lib "$r/lib"; ln -s usr/lib64 "$r/lib64"
	ln -s ../run "$r/var/run"
}

# /bin/x and /usr/bin/x are one file on Debian 12: store everything under /usr.
canon() { case "$1" in /bin/*|/sbin/*|/lib/*|/lib64/*) echo "/usr$1";; *) echo "$1";; esac; }

copy_file() {
	local r=$1 f d; shift
	for f in "$@"; do
		d=$(canon "$f")
		[ -e "$r$d" ] && continue
		mkdir -p "$r$(dirname "$d")"
		cp -L "$f" "$r$d"
	done
}

# ldd prints "libx.so => /path (addr)" and the loader as "/lib64/ld-linux...".
libs_of() {
	ldd "$1" 2>/dev/null | awk '/=> \//{print $3} /^[ \t]*\/[^ ]*ld-linux/{print $1}'
}

copy_bin() {
	local r=$1 b l; shift
	for b in "$@"; do
		copy_file "$r" "$b"
		for l in $(libs_of "$b"); do copy_file "$r" "$l"; done
	done
}

copy_bin_to() {
	local r=$1 dir=$2 b=$3 l
	mkdir -p "$r$dir"
	cp -L "$b" "$r$dir/"
	for l in $(libs_of "$b"); do copy_file "$r" "$l"; done
}

# Module files for MOD... and everything they depend on, recursively.
mod_files() {
	local seen=" " m f dep
	local -a queue=("$@")
	while [ ${#queue[@]} -gt 0 ]; do
		m=${queue[0]}; queue=("${queue[@]:1}")
		case "$seen" in *" $m "*) continue;; esac
		seen="$seen$m "
		f=$(modinfo -k "$LAB_KVER" -F filename "$m") || { echo "initramfs: no module $m for $LAB_KVER" >&2; return 1; }
		echo "$f"
		for dep in $(modinfo -k "$LAB_KVER" -F depends "$m" | tr ',' ' '); do queue+=("$dep"); done
	done
}

copy_modules() {
	local r=$1 f files x; shift
	files=$(mod_files "$@") || return 1
	for f in $files; do
		mkdir -p "$r/usr$(dirname "$f")"
		cp "$f" "$r/usr$f"
	done
	for x in modules.order modules.builtin modules.builtin.modinfo; do
		cp "/lib/modules/$LAB_KVER/$x" "$r/usr/lib/modules/$LAB_KVER/"
	done
}

busybox_links() {
	local r=$1 a
	cp /bin/busybox "$r/usr/bin/busybox"
	for a in $(/bin/busybox --list-full); do
		a=$(canon "/$a")
		[ -e "$r$a" ] || [ -L "$r$a" ] || { mkdir -p "$r$(dirname "$a")"; ln -s /usr/bin/busybox "$r$a"; }
	done
}

pack() {
	(cd "$1" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) | gzip -1 > "$2.tmp" && mv "$2.tmp" "$2"
}
