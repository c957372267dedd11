package org.virtiotck.tck.driver;

import static org.virtiotck.spec.Blk.*;

/** One zone descriptor of a ZONE_REPORT (§5.2.6). */
public record Zone(long cap, long start, long wp, int type, int state) {
    public boolean sequential() {
        return type == ZT_SWR || type == ZT_SWP;
    }

    @Override
    public String toString() {
        return "zone@" + start + "[" + zoneTypeName(type) + " " + zoneStateName(state) + " wp " + wp + " cap "
                + cap + "]";
    }
}
