package org.virtiotck.tck.suites;

import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.virtiotck.spec.Blk.*;
import static org.virtiotck.tck.driver.ZonedDriver.op;
import static org.virtiotck.tck.suites.ZonedChecks.*;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.virtiotck.spec.FeatureBit;
import org.virtiotck.tck.driver.BlkDriver;
import org.virtiotck.tck.driver.Completion;
import org.virtiotck.tck.driver.Zone;
import org.virtiotck.tck.driver.ZonedConfig;
import org.virtiotck.tck.junit.Expect;
import org.virtiotck.tck.junit.Prerequisite;
import org.virtiotck.tck.junit.Requires;
import org.virtiotck.tck.junit.Tck;
import org.virtiotck.tck.junit.Verifies;
import org.virtiotck.tck.junit.VirtioSuite;
import org.virtiotck.tck.spi.HostControl;

/**
 * A zoned disk whose capacity the host changes (blk.dev.19) while zones are written, open, closed and full. The
 * specification does not say what a resize does to a zone's condition, so the tests accept any condition; what
 * every zone report and request must still show afterwards is checked: the data a driver wrote and got OK for
 * reads back wherever the zone still exists (blk-desc.dev.9), the write pointer of a writable zone lies at or past
 * that data (blk.dev.56: the sectors from the write pointer on are unwritten, so they cannot be read back as data,
 * blk.dev.57), at most max_open_zones / max_active_zones zones are open / active, and a ZONE_OPEN of an empty zone
 * while the report shows room under both limits succeeds (blk.dev.12, blk.dev.13: the fields give the limits).
 * SKIPs on a device without ZONED (QEMU 7.2's virtio-blk, the example C device), on a read-only one, and on a
 * target that cannot resize its disk. Each test puts the capacity back.
 */
@Requires({Prerequisite.REQUEST_COMPLETES})
@VirtioSuite("zoned")
class ZonedResizeSuite {

    @Test
    @Verifies({"blk-desc.dev.9", "blk.dev.56", "blk.dev.57", "blk.dev.12", "blk.dev.13"})
    void zonesKeepTheirDataAndLimitsWhenTheCapacityGrows(Tck tck) {
        Disk disk = Disk.open(tck);
        ZonedConfig z = disk.z;
        writeConventional(disk);
        prepare(disk, disk.zones);
        long grown = z.capacity() + z.zoneSectors();
        disk.host.resizeCapacity(grown);
        try {
            expectConsistent(disk.d, disk.data, "after the host grew the capacity to " + grown);
            expectOpensUpToTheLimits(disk.d, "after the host grew the capacity");
        } finally {
            disk.host.resizeCapacity(z.capacity());
        }
    }

    @Test
    @Verifies({"blk-desc.dev.9", "blk.dev.56", "blk.dev.57", "blk.dev.12", "blk.dev.13"})
    void zonesKeepTheirDataAndLimitsWhenTheCapacityShrinksAndGrowsBack(Tck tck) {
        Disk disk = Disk.open(tck);
        BlkDriver d = disk.d;
        ZonedConfig z = disk.z;
        int n = disk.zones.size();
        assumeTrue(n >= 3, "needs three zones");
        Zone cut = disk.zones.get(n - 2);
        Zone gone = disk.zones.get(n - 1);
        assumeTrue(cut.sequential() && cut.state() == ZS_EMPTY && cut.cap() >= 2L * z.unitSectors()
                && gone.sequential() && gone.state() == ZS_EMPTY && gone.cap() >= z.unitSectors(),
                "the last two zones are not empty sequential zones of two write units");
        assumeTrue(disk.used.fits(1, 2), "max_active_zones below 2");
        // The last zone is left CLOSED and the one before it open with two units written; the shrink cuts
        // through that one after its first unit, so the last zone goes and the cut one keeps no room.
        closed(disk, gone);
        disk.used.take(0, 1);
        byte[] two = SuiteData.pattern(2 * z.unit(), cut.start());
        expectOk("write of two units to " + cut, d.write(cut.start(), two));
        disk.data.put(cut.start(), two);
        disk.used.take(1, 1);
        writeConventional(disk);
        prepare(disk, disk.zones.subList(0, n - 2));
        long shrunk = cut.start() + z.unitSectors();
        disk.host.resizeCapacity(shrunk);
        boolean back = false;
        try {
            Map<Long, byte[]> kept = below(disk.data, shrunk);
            expectConsistent(d, kept, "after the host shrank the capacity to " + shrunk + " (one unit into the "
                    + "zone at " + cut.start() + ")");
            disk.host.resizeCapacity(z.capacity());
            back = true;
            expectConsistent(d, kept, "after the host shrank the capacity to " + shrunk + " and grew it back to "
                    + z.capacity());
            expectOpensUpToTheLimits(d, "after the host shrank the capacity and grew it back");
        } finally {
            if (!back) {
                disk.host.resizeCapacity(z.capacity());
            }
        }
    }

    /** A writable zoned disk the host can resize, its zones before the test, and what the test wrote and holds. */
    private record Disk(BlkDriver d, ZonedConfig z, HostControl host, List<Zone> zones, Resources used,
                        Map<Long, byte[]> data) {
        static Disk open(Tck tck) {
            tck.assumeNotOffered(FeatureBit.BLK_RO);
            BlkDriver d = zonedReady(tck);
            ZonedConfig z = zonedModel(d);
            HostControl host = tck.assumeResize();
            return new Disk(d, z, host, allZones(d, z), new Resources(z), new LinkedHashMap<>());
        }
    }

    /** Open and active zones the test made, against max_open_zones and max_active_zones (0: no limit). */
    private static final class Resources {
        private final ZonedConfig z;
        private int open;
        private int active;

        Resources(ZonedConfig z) {
            this.z = z;
        }

        boolean fits(int moreOpen, int moreActive) {
            return (z.maxOpen() == 0 || open + moreOpen <= z.maxOpen())
                    && (z.maxActive() == 0 || active + moreActive <= z.maxActive());
        }

        void take(int moreOpen, int moreActive) {
            open += moreOpen;
            active += moreActive;
        }
    }

    /** One write unit at the start of the first conventional zone, if there is one. */
    private static void writeConventional(Disk disk) {
        Zone conv = firstOfType(disk.zones, ZT_CONV);
        if (conv != null && conv.cap() >= disk.z.unitSectors()) {
            written(disk, conv);
        }
    }

    /**
     * Empty sequential zones of {@code zones} made CLOSED, FULL, IMPLICITLY OPEN and EXPLICITLY OPEN, each with one
     * write unit from its start, as far as the resource limits allow (each step briefly holds one open and one
     * active zone more, so nothing is ever closed implicitly).
     */
    private static void prepare(Disk disk, List<Zone> zones) {
        BlkDriver d = disk.d;
        Resources used = disk.used;
        List<Zone> free = zones.stream().filter(x -> x.sequential() && x.state() == ZS_EMPTY
                && x.cap() >= 2L * disk.z.unitSectors()).toList();
        int[] conditions = {ZS_CLOSED, ZS_FULL, ZS_IOPEN, ZS_EOPEN};
        for (int i = 0; i < conditions.length && i < free.size() && used.fits(1, 1); i++) {
            Zone s = free.get(i);
            switch (conditions[i]) {
                case ZS_CLOSED -> {
                    closed(disk, s);
                    used.take(0, 1);
                }
                case ZS_FULL -> {
                    written(disk, s);
                    expectOk("ZONE_FINISH of " + s, op(d, T_ZONE_FINISH, s.start()));
                }
                case ZS_IOPEN -> {
                    written(disk, s);
                    used.take(1, 1);
                }
                default -> {
                    expectOk("ZONE_OPEN of " + s, op(d, T_ZONE_OPEN, s.start()));
                    written(disk, s);
                    used.take(1, 1);
                }
            }
            expectState(d, s, conditions[i], "once the test wrote it");
        }
    }

    /** One write unit of a pattern from the start of zone s, kept in the test's record of what it wrote. */
    private static void written(Disk disk, Zone s) {
        byte[] b = SuiteData.pattern(disk.z.unit(), s.start());
        expectOk("write to " + s, disk.d.write(s.start(), b));
        disk.data.put(s.start(), b);
    }

    private static void closed(Disk disk, Zone s) {
        written(disk, s);
        expectOk("ZONE_CLOSE of " + s, op(disk.d, T_ZONE_CLOSE, s.start()));
    }

    /** What of {@code data} lies below {@code capacity} (a shrink takes the rest with it). */
    private static Map<Long, byte[]> below(Map<Long, byte[]> data, long capacity) {
        Map<Long, byte[]> kept = new LinkedHashMap<>();
        data.forEach((start, b) -> {
            if (start < capacity) {
                kept.put(start, Arrays.copyOf(b, (int) Math.min(b.length, (capacity - start) * SECTOR_SIZE)));
            }
        });
        return kept;
    }

    /**
     * Every zone the test wrote (from its start) still reads back what was written unless the device took it
     * OFFLINE; where the zone's condition has a write pointer, it is at or past that data; the open and active
     * zones stay within the limits.
     */
    private static void expectConsistent(BlkDriver d, Map<Long, byte[]> data, String when) {
        ZonedConfig z = ZonedConfig.read(d);
        List<Zone> zones = allZones(d, z);
        for (Map.Entry<Long, byte[]> e : data.entrySet()) {
            Zone s = zones.get((int) (e.getKey() / z.zoneSectors()));
            byte[] b = e.getValue();
            if (s.state() == ZS_OFFLINE) {
                continue; // a device may take a zone offline at any time; then nothing reads
            }
            Completion r = d.read(s.start(), b.length);
            Expect.noCorruption(r.ok() && Arrays.equals(b, r.in()), "the " + b.length + " bytes written to "
                    + s + " before the resize read back " + when, r.ok() ? "different bytes" : r.statusName());
            int st = s.state();
            if (st == ZS_EMPTY || st == ZS_IOPEN || st == ZS_EOPEN || st == ZS_CLOSED) {
                long end = s.start() + b.length / SECTOR_SIZE;
                Expect.that(s.wp() >= end, "the write pointer of " + s + " " + when + " at or past the end of the "
                        + "data it holds (" + end + "): the sectors from the write pointer on are unwritten",
                        "write pointer " + s.wp());
            }
        }
        long[] n = openAndActive(zones);
        if (z.maxOpen() > 0) {
            Expect.that(n[0] <= z.maxOpen(), "at most max_open_zones " + z.maxOpen() + " open zones " + when,
                    n[0] + " open");
        }
        if (z.maxActive() > 0) {
            Expect.that(n[1] <= z.maxActive(), "at most max_active_zones " + z.maxActive() + " active zones " + when,
                    n[1] + " active");
        }
    }

    /**
     * ZONE_OPEN of empty zones while the report shows fewer open and active zones than the limits: each succeeds
     * (two at most when the device has no limits).
     */
    private static void expectOpensUpToTheLimits(BlkDriver d, String when) {
        ZonedConfig z = ZonedConfig.read(d);
        List<Zone> zones = allZones(d, z);
        long[] n = openAndActive(zones);
        int opened = 0;
        for (Zone s : zones) {
            boolean room = (z.maxOpen() == 0 || n[0] < z.maxOpen()) && (z.maxActive() == 0 || n[1] < z.maxActive());
            if (!room || z.maxOpen() == 0 && z.maxActive() == 0 && opened == 2) {
                break;
            }
            if (s.sequential() && s.state() == ZS_EMPTY) {
                expectOk("ZONE_OPEN of " + s + " " + when + " with " + n[0] + " open and " + n[1] + " active zones "
                        + "(max_open_zones " + z.maxOpen() + ", max_active_zones " + z.maxActive() + ")",
                        op(d, T_ZONE_OPEN, s.start()));
                n[0]++;
                n[1]++;
                opened++;
            }
        }
    }

    private static long[] openAndActive(List<Zone> zones) {
        long open = zones.stream().filter(x -> x.state() == ZS_IOPEN || x.state() == ZS_EOPEN).count();
        return new long[] {open, open + zones.stream().filter(x -> x.state() == ZS_CLOSED).count()};
    }
}
