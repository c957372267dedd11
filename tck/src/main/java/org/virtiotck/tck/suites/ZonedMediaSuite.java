package org.virtiotck.tck.suites;

import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.virtiotck.spec.Blk.*;
import static org.virtiotck.tck.driver.ZonedDriver.op;
import static org.virtiotck.tck.suites.ZonedChecks.*;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.virtiotck.spec.FeatureBit;
import org.virtiotck.tck.driver.BlkDriver;
import org.virtiotck.tck.driver.BlkRequest;
import org.virtiotck.tck.driver.BlkRequest.Segment;
import org.virtiotck.tck.driver.Completion;
import org.virtiotck.tck.driver.Zone;
import org.virtiotck.tck.driver.ZonedConfig;
import org.virtiotck.tck.driver.ZonedDriver;
import org.virtiotck.tck.junit.Expect;
import org.virtiotck.tck.junit.Prerequisite;
import org.virtiotck.tck.junit.Requires;
import org.virtiotck.tck.junit.Tck;
import org.virtiotck.tck.junit.Verifies;
import org.virtiotck.tck.spi.HostControl;
import org.virtiotck.tck.junit.VirtioSuite;

/**
 * What a zoned device does to the data around the request at hand (VIRTIO_BLK_F_ZONED, §5.2.6): request types it
 * does not know, a SECURE_ERASE that cannot reset every zone it names, random writes into a sequential-write-
 * preferred zone, a host-aware disk used as a plain disk by a driver that declined ZONED, both next to
 * READ_ONLY and OFFLINE zones and in zones an earlier zoned session left open or full, and a read-only zoned
 * disk, and the zones after the capacity grew. Every test SKIPs on a device that does not offer ZONED or lacks what it needs.
 */
@Requires({Prerequisite.REQUEST_COMPLETES})
@VirtioSuite("zoned")
class ZonedMediaSuite {
    /** Request types that no version of the specification defines (between and after the zone types). */
    private static final int[] UNKNOWN_TYPES = {17, 23, 99};

    @Test
    @Verifies("blk-desc.dev.10")
    void unknownRequestTypesAreUnsupportedWithZoned(Tck tck) {
        BlkDriver d = zonedReady(tck);
        ZonedConfig z = zonedModel(d);
        for (int type : UNKNOWN_TYPES) {
            for (long sector : new long[] {0, 1, z.zoneSectors()}) {
                Completion c = d.submit(BlkRequest.of(type, sector, null, 0));
                expectStatus("request type " + type + " at sector " + sector + " with ZONED", S_UNSUPP, c);
            }
        }
    }

    @Test
    @Verifies({"blk.dev.59", "blk.dev.38", "blk.dev.44"})
    void secureEraseNamingAZoneResetCannotEmptyFailsAndKeepsItsData(Tck tck) {
        tck.assumeOffered(FeatureBit.BLK_SECURE_ERASE);
        BlkDriver d = zonedReady(tck);
        ZonedConfig z = zonedModel(d);
        assumeTrue(d.readConfig().maxSecureEraseSeg() >= 2, "max_secure_erase_seg is below 2");
        assumeTrue(Integer.toUnsignedLong(d.readConfig().maxSecureEraseSectors()) >= z.zoneSectors(),
                "max_secure_erase_sectors is smaller than a zone");
        List<Zone> all = allZones(d, z);
        Zone conv = firstOfType(all, ZT_CONV);
        assumeTrue(conv != null && conv.cap() == z.zoneSectors(), "no whole conventional zone");
        Zone s = emptyZones(d, z, 0, 1).stream().filter(x -> x.cap() == z.zoneSectors()).findFirst().orElse(null);
        assumeTrue(s != null, "no whole empty sequential zone");
        byte[] kept = SuiteData.pattern(z.unit(), 91);
        expectOk("write to the conventional " + conv, d.write(conv.start(), kept));
        expectOk("write to " + s, d.write(s.start(), new byte[z.unit()]));
        Completion c = d.submit(BlkRequest.ranges(T_SECURE_ERASE, new Segment(s.start(), z.zoneSectors(), 0),
                new Segment(conv.start(), z.zoneSectors(), 0)));
        Expect.that(!c.ok(), "SECURE_ERASE whose second segment is a conventional zone (which ZONE_RESET "
                + "refuses) fails", c.statusName());
        Expect.noCorruption(Arrays.equals(kept, d.read(conv.start(), kept.length).in()),
                "the conventional zone's data intact after the refused SECURE_ERASE", "different bytes");
        expectState(d, conv, ZS_NOT_WP, "after the refused SECURE_ERASE");
    }

    @Test
    @Verifies({"blk-desc.dev.9", "blk.dev.56"})
    void aRandomWriteIntoAnSwpZoneTouchesNoOtherData(Tck tck) {
        BlkDriver d = zonedReady(tck);
        ZonedConfig z = zonedModel(d);
        List<Zone> all = allZones(d, z);
        Zone conv = firstOfType(all, ZT_CONV);
        Zone s = null;
        Zone next = null;
        for (int i = 0; i + 1 < all.size(); i++) {
            if (all.get(i).type() == ZT_SWP && all.get(i).state() == ZS_EMPTY && all.get(i + 1).type() == ZT_SWP
                    && all.get(i + 1).state() == ZS_EMPTY && all.get(i).cap() >= 8L * z.unitSectors()) {
                s = all.get(i);
                next = all.get(i + 1);
                break;
            }
        }
        assumeTrue(s != null, "no two adjacent empty sequential-write-preferred zones");
        byte[] first = SuiteData.pattern(z.unit(), 92);
        byte[] second = SuiteData.pattern(z.unit(), 93);
        if (conv != null) {
            expectOk("write to the conventional " + conv, d.write(conv.start(), first));
        }
        expectOk("write to the next zone " + next, d.write(next.start(), second));
        long at = s.start() + 4L * z.unitSectors();
        Completion w = d.write(at, SuiteData.pattern(z.unit(), 94));
        Expect.that(w.ok() || w.status() == S_ZONE_UNALIGNED_WP, "a write past the write pointer of an SWP zone "
                + "succeeds or is refused as off the write pointer", w.statusName());
        if (conv != null) {
            Expect.noCorruption(Arrays.equals(first, d.read(conv.start(), first.length).in()),
                    "the conventional zone's data intact after a write into " + s, "different bytes");
        }
        Expect.noCorruption(Arrays.equals(second, d.read(next.start(), second.length).in()),
                "the next zone's data intact after a write into " + s, "different bytes");
    }

    @Test
    @Verifies({"blk.dev.7", "blk.dev.27", "blk-desc.dev.9"})
    void aPlainDriverKeepsItsDataNextToReadOnlyAndOfflineZones(Tck tck) {
        BlkDriver d = zonedReady(tck);
        ZonedConfig z = zonedModel(d);
        assumeTrue(z.model() == Z_HA, "not host-aware: a driver without ZONED cannot use the device");
        List<Zone> all = allZones(d, z);
        int k = -1;
        for (int i = 1; i < all.size(); i++) {
            int st = all.get(i).state();
            if ((st == ZS_RDONLY || st == ZS_OFFLINE) && all.get(i - 1).state() != ZS_RDONLY
                    && all.get(i - 1).state() != ZS_OFFLINE) {
                k = i;
                break;
            }
        }
        assumeTrue(k > 0, "no READ_ONLY or OFFLINE zone after a usable one");
        Zone stuck = all.get(k);
        plainDriver(d);
        long last = stuck.start() - 1;
        byte[] a = SuiteData.pattern(2 * SECTOR_SIZE, 95);
        expectOk("plain write of the two sectors before " + stuck, d.write(last - 1, a));
        Expect.noCorruption(Arrays.equals(a, d.read(last - 1, a.length).in()),
                "the two sectors before " + stuck + " read back", "different bytes or a failed read");
        byte[] b = SuiteData.pattern(2 * SECTOR_SIZE, 96);
        Completion w = d.write(last, b);
        if (w.ok()) {
            Expect.noCorruption(Arrays.equals(Arrays.copyOf(b, SECTOR_SIZE), d.read(last, SECTOR_SIZE).in()),
                    "a plain write into " + stuck + " that completed OK wrote its first sector", "different bytes");
        }
        byte[] before = d.read(last, SECTOR_SIZE).in();
        Completion r = d.read(last, 2 * SECTOR_SIZE);
        if (r.ok()) {
            Expect.noCorruption(Arrays.equals(before, Arrays.copyOf(r.in(), SECTOR_SIZE)),
                    "a plain read into " + stuck + " that completed OK returns the sector before it",
                    "different bytes");
        }
        if (d.negotiated(FeatureBit.BLK_WRITE_ZEROES)) {
            Completion c = d.submit(BlkRequest.ranges(T_WRITE_ZEROES, new Segment(last, 2, 0)));
            if (c.ok()) {
                Expect.noCorruption(Arrays.equals(new byte[SECTOR_SIZE], d.read(last, SECTOR_SIZE).in()),
                        "a WRITE_ZEROES into " + stuck + " that completed OK zeroed the sector before it",
                        "different bytes");
            }
        }
    }

    @Test
    @Verifies({"blk.dev.7", "blk-desc.dev.9", "blk-desc.dev.15"})
    void aPlainDriverKeepsItsDataInZonesAZonedSessionLeftOpenOrFull(Tck tck) {
        BlkDriver d = zonedReady(tck);
        ZonedConfig z = zonedModel(d);
        assumeTrue(z.model() == Z_HA, "not host-aware: a driver without ZONED cannot use the device");
        List<Zone> e = emptyZones(d, z, 0, 3).stream().filter(x -> x.cap() >= 4L * z.unitSectors()).toList();
        assumeTrue(e.size() >= 3, "needs three empty sequential zones of four write units");
        Zone implicit = e.get(0);
        Zone explicit = e.get(1);
        Zone full = e.get(2);
        expectOk("write to " + implicit, d.write(implicit.start(), new byte[z.unit()]));
        expectOk("ZONE_OPEN of " + explicit, op(d, T_ZONE_OPEN, explicit.start()));
        expectOk("ZONE_FINISH of " + full, op(d, T_ZONE_FINISH, full.start()));
        Zone conv = firstOfType(allZones(d, z), ZT_CONV);
        plainDriver(d);
        for (Zone s : List.of(implicit, explicit, full)) {
            long at = s.start() + 2L * z.unitSectors();
            byte[] data = SuiteData.pattern(z.unit(), s.start());
            Completion w = d.write(at, data);
            if (w.ok()) {
                Expect.noCorruption(Arrays.equals(data, d.read(at, data.length).in()), "a plain write into " + s
                        + " (left " + zoneStateName(s == implicit ? ZS_IOPEN : s == explicit ? ZS_EOPEN : ZS_FULL)
                        + " by the zoned session) reads back", "different bytes");
            }
        }
        if (conv != null) {
            expectOk("plain write of the last sector of the conventional " + conv,
                    d.write(conv.start() + conv.cap() - 1, new byte[SECTOR_SIZE]));
            d.begin();
            BlkDriver.Init init = d.finish(ZonedDriver.features(d), 0);
            Expect.that(init.ok(), "initialization with ZONED accepted again", String.valueOf(init.problem()));
            expectState(d, conv, ZS_NOT_WP, "after plain writes up to its end");
        }
    }

    @Test
    @Verifies({"blk.dev.21", "blk.dev.22", "blk.dev.40"})
    void aReadOnlyZonedDiskRefusesWritesAndAppends(Tck tck) {
        tck.assumeOffered(FeatureBit.BLK_ZONED, FeatureBit.BLK_RO);
        BlkDriver d = tck.driver().judgingRefusals();
        Expect.that(d.begin(), "Status reads 0 after reset", "it did not");
        BlkDriver.Init init = d.finish(ZonedDriver.features(d), 0);
        Expect.that(init.ok(), "careful initialization with ZONED accepted", String.valueOf(init.problem()));
        ZonedConfig z = zonedModel(d);
        Zone s = allZones(d, z).stream().filter(x -> x.sequential() && x.state() == ZS_EMPTY
                && x.cap() >= 2L * z.unitSectors()).findFirst().orElse(null);
        assumeTrue(s != null, "no empty sequential zone");
        byte[] data = SuiteData.pattern(z.unit(), 97);
        expectStatus("OUT at the write pointer of " + s + " on a read-only disk", S_IOERR, d.write(s.wp(), data));
        if (s.type() == ZT_SWR && z.maxAppend() > 0) {
            expectStatus("ZONE_APPEND to " + s + " on a read-only disk", S_IOERR,
                    ZonedDriver.append(d, s.start(), data));
        }
        expectState(d, s, ZS_EMPTY, "after the refused writes");
        Completion r = d.read(s.start(), data.length);
        Expect.noCorruption(!r.ok() || !Arrays.equals(data, r.in()), "the refused writes wrote nothing",
                "the data reads back");
        Completion open = op(d, T_ZONE_OPEN, s.start());
        if (open.ok()) {
            expectState(d, s, ZS_EOPEN, "after a ZONE_OPEN that completed OK");
        }
    }

    @Test
    @Verifies("blk.dev.10")
    void theZonesCoverTheCapacityAfterItGrows(Tck tck) {
        BlkDriver d = zonedReady(tck);
        ZonedConfig z = zonedModel(d);
        HostControl host = tck.assumeResize();
        long grown = z.capacity() + z.zoneSectors();
        host.resizeCapacity(grown);
        ZonedConfig after = ZonedConfig.read(d);
        Expect.equal("capacity after the resize", grown, after.capacity());
        List<Zone> zones = allZones(d, after);
        Expect.equal("number of zones after the capacity grew by one zone (ceil(capacity / zone_sectors))",
                after.zoneCount(), zones.size());
        Zone last = zones.get(zones.size() - 1);
        Expect.that(last.start() < grown && last.start() + last.cap() <= grown && grown - last.start()
                <= z.zoneSectors(), "the last zone ends within the new capacity and reaches its last zone_sectors",
                last.toString());
    }

    @Test
    @Verifies({"blk.dev.13", "blk.dev.41"})
    void zonesAPlainDriverMadeActiveCountAgainstTheActiveLimit(Tck tck) {
        BlkDriver d = zonedReady(tck);
        ZonedConfig z = zonedModel(d);
        assumeTrue(z.model() == Z_HA, "not host-aware: a driver without ZONED cannot use the device");
        assumeTrue(z.maxActive() > 0, "max_active_zones is 0 (no limit)");
        List<Zone> e = emptyZones(d, z, 0, z.maxActive() + 1);
        plainDriver(d);
        for (Zone s : e.subList(0, z.maxActive())) {
            expectOk("plain write to " + s, d.write(s.start(), new byte[z.unit()]));
        }
        Expect.that(d.begin(), "Status reads 0 after reset", "it did not");
        BlkDriver.Init init = d.finish(ZonedDriver.features(d), 0);
        Expect.that(init.ok(), "initialization with ZONED accepted again", String.valueOf(init.problem()));
        assumeTrue(active(allZones(d, z)) <= z.maxActive(), "the plain writes left more active zones than the limit");
        Zone last = e.get(z.maxActive());
        Completion c = op(d, T_ZONE_OPEN, last.start());
        long now = active(allZones(d, z));
        Expect.that(now <= z.maxActive(), "at most max_active_zones (" + z.maxActive() + ") active zones after "
                + "ZONE_OPEN of " + last + " (" + c.statusName() + ")", now + " active");
    }

    private static long active(List<Zone> zones) {
        return zones.stream().filter(x -> x.state() == ZS_IOPEN || x.state() == ZS_EOPEN || x.state() == ZS_CLOSED)
                .count();
    }

    /** Resets the device and initializes it again without ZONED (a host-aware disk carries on, blk.dev.7). */
    private static void plainDriver(BlkDriver d) {
        d.reset();
        BlkDriver.Init init = d.initialize(~FeatureBit.mask(FeatureBit.BLK_ZONED));
        Expect.that(init.ok(), "initialization without ZONED accepted by a host-aware device (a SHOULD)",
                String.valueOf(init.problem()));
    }
}
