# shellcheck shell=bash
# Boot Xen + the lab's dom0 under QEMU TCG for one peer pair (sourced).
# Needs LAB_IMG, LAB_KVER. See ../../shared/xen-lab-poc/README.md for why
# each QEMU option is what it is (TCG: /dev/kvm does not work here;
# qemu64,+svm: -cpu max crashes the PV dom0; thread=multi: ~2x throughput).

LAB_LOCK=/tmp/xvif-lab.lock

# The lock alone is not first-come: flock wakes an arbitrary waiter, so with
# several engineers queueing a run could wait for hours. Each boot takes a
# ticket (a file named by the time it asked, then the asking run's pid) and
# waits until no older ticket of a live run is left; then it takes the lock.
LAB_QUEUE=${LAB_QUEUE:-/tmp/xvif-lab.queue}
LAB_QUEUE_LIMIT=${LAB_QUEUE_LIMIT:-10800}
LAB_TICKET=
lab_queue_enter() {
	local t p ahead last=-1 waited=0
	mkdir -p "$LAB_QUEUE" || { echo "lab: cannot create the lab queue $LAB_QUEUE" >&2; return 1; }
	LAB_TICKET=$LAB_QUEUE/$(date +%s%N)-$$
	: > "$LAB_TICKET"
	while :; do
		ahead=0
		for t in "$LAB_QUEUE"/*-*; do
			[ -e "$t" ] && [[ "$t" < "$LAB_TICKET" ]] || continue
			p=${t##*-}
			if kill -0 "$p" 2>/dev/null; then ahead=$((ahead + 1)); else rm -f "$t"; fi
		done
		[ "$ahead" = 0 ] && return 0
		if [ "$ahead" != "$last" ]; then
			echo "lab: in the lab queue ($LAB_QUEUE): $ahead run(s) ahead of this one, first come first served"
			last=$ahead
		fi
		if [ "$waited" -ge "$LAB_QUEUE_LIMIT" ]; then
			echo "lab: gave up after $waited s in the lab queue ($ahead run(s) still ahead; see $LAB_QUEUE, each file ends in the waiting run's pid)" >&2
			lab_queue_leave
			return 1
		fi
		sleep 5; waited=$((waited + 5))
	done
}
lab_queue_leave() { [ -n "$LAB_TICKET" ] && rm -f "$LAB_TICKET"; LAB_TICKET=; }

# lab_qemu DIR BACKEND FRONTEND SCENARIOS(+-joined) BENCH TIMEOUT
# One QEMU run, under the machine-wide lab lock (held for this run only).
# Writes DIR/console.log (each line prefixed with host seconds since QEMU's
# first output) and DIR/result.img (dom0 writes a tar of /lab/out there).
# Prints the console's LAB- lines live. A watchdog kills QEMU when a phase
# outlives its limit (boot to toolstack-ready: LAB_BOOT_LIMIT; a scenario:
# its lab-timeout + LAB_SCN_GRACE, as dom0 enforces the timeout itself and
# only a wedged dom0 gets that far), and says which phase hung in
# DIR/hang.txt. Returns QEMU's status (124: TIMEOUT passed; 137: watchdog).
LAB_BOOT_LIMIT=${LAB_BOOT_LIMIT:-300}
LAB_SCN_GRACE=${LAB_SCN_GRACE:-120}
lab_qemu() {
	local dir=$1 backend=$2 frontend=$3 scns=$4 bench=$5 to=$6 rc
	local xenargs dom0args pid phase last since limit n now qpid
	mkdir -p "$dir"
	rm -f "$dir/result.img" "$dir/console.log" "$dir/qemu.rc" "$dir/hang.txt"
	truncate -s 64M "$dir/result.img"
	xenargs="dom0_mem=1024M,max:1024M dom0_max_vcpus=2 console=com1 com1=115200,8n1 console_timestamps=boot serial_tx_buffer=256K loglvl=info guest_loglvl=info"
	# No commas here: QEMU splits -initrd on them.
	dom0args="console=hvc0 earlyprintk=xen xvif_backend=$backend xvif_frontend=$frontend xvif_scenarios=$scns xvif_bench=$bench"
	lab_queue_enter || return 1
	if ! flock -n "$LAB_LOCK" true; then
		echo "lab: waiting for $LAB_LOCK (another lab run holds QEMU; only one at a time on this machine)"
	fi
	: > "$dir/console.log"
	{
		flock -w 3600 "$LAB_LOCK" \
			timeout --foreground -k 10 "$to" qemu-system-x86_64 -accel tcg,thread=multi -cpu qemu64,+svm \
			-m 2048 -smp 2 -nographic -no-reboot -monitor none -serial stdio -nic none \
			-kernel "$LAB_IMG/xen" -append "$xenargs" \
			-initrd "/boot/vmlinuz-$LAB_KVER $dom0args,$LAB_IMG/dom0-initrd.gz" \
			-drive "file=$dir/result.img,format=raw,if=virtio" </dev/null 2>&1
		echo $? > "$dir/qemu.rc"
	} | perl -MTime::HiRes=time -e '
			$| = 1; my $s; open(my $log, ">", $ARGV[0]) or die "$ARGV[0]: $!"; $log->autoflush(1);
			while (<STDIN>) {
				s/\r//g; $s = time unless defined $s; my $t = time - $s;
				printf $log "[%7.2f] %s", $t, $_;
				if (/(LAB-(PHASE|RESULT|LOG|NOTE) .*)/ || /(Kernel panic.*|\(XEN\) Panic.*|BUG: .*|Oops.*)/) {
					printf "    [%6.1fs] %s\n", $t, $1;
				}
			}' "$dir/console.log" &
	pid=$!
	# The watchdog. The clock starts once QEMU prints (the lock is ours).
	last=none since=
	while kill -0 "$pid" 2>/dev/null; do
		sleep 2
		[ -s "$dir/console.log" ] || continue
		now=$(date +%s)
		[ -z "$since" ] && since=$now
		phase=$(grep -o 'LAB-PHASE [^ ]*' "$dir/console.log" | tail -n1 | cut -d' ' -f2)
		phase=${phase:-boot}
		if [ "$phase" != "$last" ]; then last=$phase; [ "$phase" = boot ] || since=$now; fi
		case "$phase" in
		boot|toolstack|toolstack-ready|backend) limit=$LAB_BOOT_LIMIT ;;
		scenario:*)
			n=$(sed -n 's/^# lab-timeout: *\([0-9][0-9]*\).*/\1/p' "$LAB_DIR/scenarios/${phase#scenario:}.sh" 2>/dev/null | head -n1)
			limit=$(( ${n:-300} + LAB_SCN_GRACE )) ;;
		*) limit=180 ;;
		esac
		if [ $((now - since)) -gt "$limit" ]; then
			echo "phase $phase made no progress for $((now - since)) s (limit $limit s): dom0 is wedged or too slow; console: $dir/console.log" > "$dir/hang.txt"
			echo "lab: HANG: $(cat "$dir/hang.txt"); killing QEMU"
			qpid=$(pgrep -f "^qemu-system-x86_64 .*file=$dir/result.img")
			[ -n "$qpid" ] && kill $qpid
			sleep 5
			qpid=$(pgrep -f "^qemu-system-x86_64 .*file=$dir/result.img")
			[ -n "$qpid" ] && kill -9 $qpid
			break
		fi
	done
	wait "$pid"
	lab_queue_leave
	rc=$(cat "$dir/qemu.rc" 2>/dev/null)
	[ -s "$dir/hang.txt" ] && rc=137
	return "${rc:-1}"
}

# lab_reached DIR PHASE: did the run's console show LAB-PHASE PHASE?
lab_reached() { grep -q "LAB-PHASE $2" "$1/console.log" 2>/dev/null; }
# lab_last_phase DIR: the last LAB-PHASE the console shows ("none").
lab_last_phase() {
	local p
	p=$(grep -o 'LAB-PHASE [^ ]*' "$1/console.log" 2>/dev/null | tail -n1 | cut -d' ' -f2)
	echo "${p:-none}"
}

# lab_collect DIR: unpack dom0's tar from DIR/result.img into DIR/out. If dom0
# never wrote it, rebuild out/results.txt from the console's LAB-RESULT lines.
lab_collect() {
	local dir=$1
	rm -rf "$dir/out"
	if tar -xf "$dir/result.img" -C "$dir" 2>/dev/null && [ -f "$dir/out/results.txt" ]; then
		return 0
	fi
	mkdir -p "$dir/out"
	sed -n 's/.*LAB-RESULT \([A-Z]*\) \([^ ]*\) \(.*\)$/RESULT\t\2\t\1\t\3/p' "$dir/console.log" \
		> "$dir/out/results.txt" 2>/dev/null
	return 1
}
