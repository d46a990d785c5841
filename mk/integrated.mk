# Components `make check` runs. A component joins this list once the lead has
# seen its own checks pass on a clean clone; until then `make check` reports
# it as SKIP with the reason below, so a half-built component under active
# development cannot break CI for everything else. Developers run a
# component's checks directly at any time (make -C netback check,
# test/lab/run.sh, ...), whatever this list says.
INTEGRATED := netback netfront scripts hostile lab

# Why each component not in INTEGRATED is skipped.
WHY_netback := xvif-netback is under construction (issue 4), not yet integrated into make check
WHY_netfront := xvif-netfront is under construction (issue 5), not yet integrated into make check
WHY_scripts := the xvif hotplug scripts are under construction (issue 6), not yet integrated into make check
WHY_lab := the lab is under construction (issue 3), not yet integrated into make check
WHY_hostile := the hostile-peer tools are under construction (issue 7), not yet integrated into make check
