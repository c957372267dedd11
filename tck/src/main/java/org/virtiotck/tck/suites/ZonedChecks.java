package org.virtiotck.tck.suites;

import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.virtiotck.spec.Blk.*;
import static org.virtiotck.tck.driver.ZonedDriver.op;
import static org.virtiotck.tck.driver.ZonedDriver.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.virtiotck.spec.FeatureBit;
import org.virtiotck.tck.driver.BlkDriver;
import org.virtiotck.tck.driver.Completion;
import org.virtiotck.tck.driver.Zone;
import org.virtiotck.tck.driver.ZoneReport;
import org.virtiotck.tck.driver.ZonedConfig;
import org.virtiotck.tck.driver.ZonedDriver;
import org.virtiotck.tck.junit.Expect;
import org.virtiotck.tck.junit.Tck;

/**
 * The steps ZonedSuite's tests share: a zoned initialization that fails the test when the device refuses it,
 * zone look-ups that SKIP when the target lacks the zones a test needs, and the status and state expectations.
 */
final class ZonedChecks {
    private ZonedChecks() {}

    /** Careful initialization that also accepts ZONED; fails the test when the device refuses it. */
    static BlkDriver zonedReady(Tck tck) {
        tck.assumeOffered(FeatureBit.BLK_ZONED);
        BlkDriver d = tck.driver();
        Expect.that(d.begin(), "Status reads 0 after reset", "it did not");
        BlkDriver.Init init = d.finish(ZonedDriver.features(d), 0);
        Expect.that(init.ok(), "careful initialization with ZONED accepted", String.valueOf(init.problem()));
        Expect.equal("ZONE_RESET_ALL status", statusName(S_OK), op(d, T_ZONE_RESET_ALL, 0).statusName());
        return d;
    }

    /** Zoned characteristics of a device that operates zones (HM or HA); SKIPs for model NONE. */
    static ZonedConfig zonedModel(BlkDriver d) {
        ZonedConfig z = ZonedConfig.read(d);
        assumeTrue(z.model() == Z_HM || z.model() == Z_HA, "zoned model is " + z.model() + ", not HM or HA");
        assumeTrue(z.zoneSectors() > 0, "zone_sectors is 0");
        return z;
    }


    /** Every zone of the device (in chunks the guest RAM can hold). */
    static List<Zone> allZones(BlkDriver d, ZonedConfig z) {
        List<Zone> all = new ArrayList<>();
        long total = z.zoneCount();
        while (all.size() < total) {
            long sector = (long) all.size() * z.zoneSectors();
            ZoneReport r = report(d, sector, (int) Math.min(256, total - all.size()), 0);
            expectOk("ZONE_REPORT from sector " + sector, r.completion());
            Expect.that(!r.zones().isEmpty(), "ZONE_REPORT returns at least one zone", "nr_zones = " + r.nrZones());
            all.addAll(r.zones());
        }
        return all;
    }

    static Zone zone(BlkDriver d, long start) {
        ZoneReport r = report(d, start, 1, 0);
        expectOk("ZONE_REPORT of zone " + start, r.completion());
        Expect.that(r.zones().size() == 1, "one zone descriptor", "nr_zones = " + r.nrZones());
        return r.zones().get(0);
    }

    /** Sequential zones of the given type in EMPTY state, at least {@code n} of them, else SKIP. */
    static List<Zone> emptyZones(BlkDriver d, ZonedConfig z, int type, int n) {
        List<Zone> list = allZones(d, z).stream().filter(x -> (type == 0 ? x.sequential() : x.type() == type)
                && x.state() == ZS_EMPTY && x.cap() >= 2L * z.unitSectors()).toList();
        assumeTrue(list.size() >= n, "needs " + n + " empty " + (type == 0 ? "sequential" : zoneTypeName(type))
                + " zones, the device has " + list.size());
        return list;
    }



    static void expectOk(String what, Completion c) {
        Expect.equal(what + " status", statusName(S_OK), c.statusName());
    }

    static void expectStatus(String what, int status, Completion c) {
        Expect.equal(what + " status", statusName(status), c.statusName());
    }

    static void expectState(BlkDriver d, Zone z, int state, String when) {
        Zone now = zone(d, z.start());
        Expect.equal("state of zone " + z.start() + " " + when, zoneStateName(state), zoneStateName(now.state()));
    }

    /** The READ_ONLY and OFFLINE zones of the device, else SKIP. */
    static List<Zone> readOnlyOrOfflineZones(BlkDriver d, ZonedConfig z) {
        List<Zone> stuck = allZones(d, z).stream().filter(x -> x.state() == ZS_RDONLY || x.state() == ZS_OFFLINE)
                .toList();
        assumeTrue(!stuck.isEmpty(), "the device has no READ_ONLY or OFFLINE zone");
        return stuck;
    }

    static Zone firstOfType(List<Zone> zones, int type) {
        return zones.stream().filter(z -> z.type() == type).findFirst().orElse(null);
    }


    /** Makes {@code n} zones CLOSED (active, not open) by writing and closing them. */
    static void closeZones(BlkDriver d, ZonedConfig z, List<Zone> zones) {
        for (Zone s : zones) {
            expectOk("write to " + s, d.write(s.wp(), new byte[z.unit()]));
            expectOk("ZONE_CLOSE of " + s, op(d, T_ZONE_CLOSE, s.start()));
        }
    }

    static Zone swrZone(BlkDriver d, ZonedConfig z) {
        assumeTrue(z.maxAppend() > 0, "max_append_sectors is 0 (ZONE_APPEND not supported)");
        return emptyZones(d, z, ZT_SWR, 1).get(0);
    }

    /** IN over unwritten data: OK with a fill pattern (never the old data), or an error (blk.dev.57). */
    static void expectNoStaleData(BlkDriver d, long sector, byte[] stale, String what) {
        Completion c = d.read(sector, stale.length);
        if (!c.ok()) {
            return; // failing the request is the other allowed answer
        }
        Expect.noCorruption(!Arrays.equals(stale, c.in()), what + " reads as a fill pattern, not earlier data",
                "the data written before the zone was reset");
    }
}
