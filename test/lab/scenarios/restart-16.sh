# restart-16: restart-4 with 16 connected vifs (vif devids 0..15, bridges
# xenbr0..15). See scenarios/lib/restart.sh (rs_scenario_n).
# Metrics: restart_kill9_s, restart_term_s, rss_kb_*, gntdev_maps.
# lab-timeout: 720
. /lab/scenarios/lib/restart.sh
rs_scenario_n 16
