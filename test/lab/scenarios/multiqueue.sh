# multiqueue: a 2-vcpu guest negotiates 2 queues (dom0 has 2 vcpus, so the
# backend offers at least 2): multi-queue-num-queues=2, queue-0 and queue-1
# ring keys, 2 TX queues on the guest's eth0; iperf3 with 4 streams both
# ways. Replaces the running guest with a 2-vcpu one (later scenarios reuse it).
# Metrics: queues, mq_tcp_to_guest_mbps, mq_tcp_from_guest_mbps.
# lab-timeout: 300
lab_need_guest 2
d=$LAB_DOMID
fe=/local/domain/$d/device/vif/0
be=/local/domain/0/backend/vif/$d/0
max=$(xenstore-read "$be/multi-queue-max-queues" 2>/dev/null)
nq=$(xenstore-read "$fe/multi-queue-num-queues" 2>/dev/null)
echo "backend multi-queue-max-queues=$max frontend multi-queue-num-queues=$nq"
[ -n "$max" ] && [ "$max" -ge 2 ] || lab_fail "backend offers multi-queue-max-queues='$max' (want >= 2 with 2 dom0 vcpus)"
[ "$nq" = 2 ] || lab_fail "2-vcpu guest wrote multi-queue-num-queues='$nq' (want 2)"
lab_metric queues "$nq"
for q in 0 1; do
	xenstore-exists "$fe/queue-$q/tx-ring-ref" || lab_fail "frontend has no queue-$q/tx-ring-ref"
done
gq=$(lab_guest 'ls -d /sys/class/net/eth0/queues/tx-* | wc -l')
[ "$gq" = 2 ] || lab_fail "guest eth0 has $gq TX queues (want 2)"
to=$(lab_iperf_mbps -c 10.0.0.2 -t "$LAB_IPERF_S" -P 4) || lab_fail "iperf3 -P 4 dom0 -> guest did not complete"
lab_metric mq_tcp_to_guest_mbps "$to"
from=$(lab_iperf_mbps -c 10.0.0.2 -t "$LAB_IPERF_S" -P 4 -R) || lab_fail "iperf3 -P 4 guest -> dom0 did not complete"
lab_metric mq_tcp_from_guest_mbps "$from"
lab_pass "2 queues; to guest $to Mbit/s, from guest $from Mbit/s (4 streams)"
