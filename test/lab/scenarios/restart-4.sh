# restart-4: a guest with 4 connected vifs; kill -9 the daemon and start it,
# then SIGTERM (hand-over) and start it. Every vif is adopted without the
# frontend reconnecting (xenstore stays 4/4), every vif pings after, and the
# daemon holds the same fds, TAP fds and gntdev mappings as before; no
# orphan interface or record. See scenarios/lib/restart.sh (rs_scenario_n).
# Metrics: restart_kill9_s, restart_term_s, rss_kb_*, gntdev_maps.
# lab-timeout: 420
. /lab/scenarios/lib/restart.sh
rs_scenario_n 4
