package org.virtiotck.tck.suites;

import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.virtiotck.spec.Blk.*;
import static org.virtiotck.tck.driver.ZonedDriver.append;
import static org.virtiotck.tck.driver.ZonedDriver.op;
import static org.virtiotck.tck.driver.ZonedDriver.report;
import static org.virtiotck.tck.suites.ZonedChecks.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.virtiotck.spec.FeatureBit;
import org.virtiotck.tck.driver.BlkDriver;
import org.virtiotck.tck.driver.BlkRequest;
import org.virtiotck.tck.driver.BlkRequest.Segment;
import org.virtiotck.tck.driver.Completion;
import org.virtiotck.tck.driver.Le;
import org.virtiotck.tck.driver.Zone;
import org.virtiotck.tck.driver.ZoneReport;
import org.virtiotck.tck.driver.ZonedConfig;
import org.virtiotck.tck.driver.ZonedDriver;
import org.virtiotck.tck.junit.BreaksDriverRules;
import org.virtiotck.tck.junit.Expect;
import org.virtiotck.tck.junit.Prerequisite;
import org.virtiotck.tck.junit.Requires;
import org.virtiotck.tck.junit.Tck;
import org.virtiotck.tck.junit.Verifies;
import org.virtiotck.tck.junit.VirtioSuite;

/**
 * Zoned devices at the edges of their zones and resources (VIRTIO_BLK_F_ZONED, §5.2.6), where
 * {@link ZonedSuite} checks each rule on one side: implicit opens and closes against the open and active limits,
 * writes and appends that exactly fill a zone, zone management addressed off a zone start, SECURE_ERASE next to
 * zones it does not cover, write_granularity on ZONE_APPEND, the conventional zone's plain-disk writes and a
 * report asking for more zones than exist. Every test SKIPs on a device that does not offer ZONED or lacks the
 * zones it needs.
 */
@Requires({Prerequisite.REQUEST_COMPLETES})
@VirtioSuite("zoned")
class ZonedTransitionSuite {
    /** Largest single transfer the tests make (a whole zone at most), to stay within the guest RAM. */
    private static final long MAX_BYTES = 2L << 20;

    @Test
    @Verifies({"blk.dev.12", "blk.dev.13", "blk.dev.45", "blk.dev.53"})
    void writesToFreshZonesKeepTheOpenAndActiveLimits(Tck tck) {
        BlkDriver d = zonedReady(tck);
        ZonedConfig z = zonedModel(d);
        List<Zone> e = emptyZones(d, z, 0, 3);
        Zone explicit = e.get(0);
        expectOk("ZONE_OPEN of " + explicit, op(d, T_ZONE_OPEN, explicit.start()));
        expectOk("write to the explicitly opened " + explicit, d.write(explicit.start(), new byte[z.unit()]));
        int bound = Math.max(z.maxOpen(), z.maxActive()) + 1;
        List<Zone> written = new ArrayList<>();
        for (Zone s : e.subList(1, Math.min(e.size(), bound + 1))) {
            List<Zone> before = allZones(d, z);
            Completion w = d.write(s.start(), new byte[z.unit()]);
            List<Zone> after = allZones(d, z);
            expectOnlyImplicitCloses(before, after, s);
            expectWithinLimits(z, after, "after the write to " + s);
            if (!w.ok()) {
                Expect.that(w.status() == S_ZONE_OPEN_RESOURCE || w.status() == S_ZONE_ACTIVE_RESOURCE,
                        "a write to an EMPTY zone fails only for want of resources", w.statusName());
                expectState(d, s, ZS_EMPTY, "after the refused write");
                break;
            }
            expectState(d, s, ZS_IOPEN, "after a write to it while EMPTY (implicit open)");
            written.add(s);
        }
        Expect.equal("state of the explicitly opened " + explicit + " (only IOPEN zones close implicitly)",
                zoneStateName(ZS_EOPEN), zoneStateName(zone(d, explicit.start()).state()));
        assumeTrue(!written.isEmpty(), "no write to a fresh zone succeeded");
        Zone again = written.get(written.size() - 1);
        expectOk("ZONE_CLOSE of " + again, op(d, T_ZONE_CLOSE, again.start()));
        expectState(d, again, ZS_CLOSED, "after ZONE_CLOSE of a written zone");
        Completion w = d.write(zone(d, again.start()).wp(), new byte[z.unit()]);
        Expect.that(w.ok() || w.status() == S_ZONE_OPEN_RESOURCE || w.status() == S_ZONE_ACTIVE_RESOURCE,
                "a write to a CLOSED zone succeeds or fails for want of resources", w.statusName());
        expectState(d, again, w.ok() ? ZS_IOPEN : ZS_CLOSED, "after a write to it while CLOSED");
        expectWithinLimits(z, allZones(d, z), "after the write to the CLOSED zone");
    }

    @Test
    @Verifies("blk.dev.13")
    void withMaxActiveZonesZeroEveryEmptyZoneMayBecomeActive(Tck tck) {
        BlkDriver d = zonedReady(tck);
        ZonedConfig z = zonedModel(d);
        assumeTrue(z.maxActive() == 0, "max_active_zones is " + z.maxActive() + ", a limit");
        // Written and closed, each zone stays active (CLOSED) and opens nothing: with 0 meaning no limit, the
        // device must not run out of active zones, however many there are.
        int active = 0;
        for (Zone s : emptyZones(d, z, 0, 2)) {
            Completion w = d.write(s.wp(), new byte[z.unit()]);
            Expect.that(w.status() != S_ZONE_ACTIVE_RESOURCE, "a write to EMPTY " + s + " with " + active
                    + " zones active is not refused for want of active zones (max_active_zones 0: no limit)",
                    w.statusName());
            expectOk("write to EMPTY " + s, w);
            expectOk("ZONE_CLOSE of " + s, op(d, T_ZONE_CLOSE, s.start()));
            active++;
        }
    }

    /** Between two reports, only the written zone and implicit IOPEN-to-CLOSED transitions may change. */
    private static void expectOnlyImplicitCloses(List<Zone> before, List<Zone> after, Zone target) {
        for (int i = 0; i < Math.min(before.size(), after.size()); i++) {
            Zone b = before.get(i);
            Zone a = after.get(i);
            if (b.start() == target.start() || b.state() == a.state()) {
                continue;
            }
            Expect.that(b.state() == ZS_IOPEN && a.state() == ZS_CLOSED, "another zone changes only from IOPEN "
                    + "to CLOSED (an implicit close) on a write to " + target, b + " became " + a);
        }
    }

    private static void expectWithinLimits(ZonedConfig z, List<Zone> zones, String when) {
        long open = zones.stream().filter(x -> x.state() == ZS_IOPEN || x.state() == ZS_EOPEN).count();
        long active = open + zones.stream().filter(x -> x.state() == ZS_CLOSED).count();
        if (z.maxOpen() > 0) {
            Expect.that(open <= z.maxOpen(), "at most max_open_zones " + z.maxOpen() + " open zones " + when,
                    open + " open");
        }
        if (z.maxActive() > 0) {
            Expect.that(active <= z.maxActive(), "at most max_active_zones " + z.maxActive() + " active zones "
                    + when, active + " active");
        }
    }

    @Test
    @Verifies("blk.dev.45")
    void appendShortOfOpenResourcesFails(Tck tck) {
        BlkDriver d = zonedReady(tck);
        ZonedConfig z = zonedModel(d);
        assumeTrue(z.maxAppend() >= z.unitSectors(), "max_append_sectors is below one write unit");
        assumeTrue(z.maxOpen() > 0, "max_open_zones is 0 (no limit)");
        List<Zone> e = emptyZones(d, z, ZT_SWR, z.maxOpen() + 1);
        for (Zone s : e.subList(0, z.maxOpen())) {
            Completion c = op(d, T_ZONE_OPEN, s.start());
            assumeTrue(c.ok(), "ZONE_OPEN of " + s + " within max_open_zones: " + c.statusName());
        }
        Zone next = e.get(z.maxOpen());
        Completion c = append(d, next.start(), new byte[z.unit()]);
        Expect.that(c.status() == S_ZONE_OPEN_RESOURCE || c.status() == S_ZONE_ACTIVE_RESOURCE,
                "ZONE_APPEND to an EMPTY zone with every open resource taken by EOPEN zones: a resource status",
                c.statusName());
        Zone now = zone(d, next.start());
        Expect.equal("state after the refused append", zoneStateName(ZS_EMPTY), zoneStateName(now.state()));
        Expect.equal("write pointer after the refused append", next.start(), now.wp());
    }

    @Test
    @Verifies({"blk.dev.47", "blk.dev.51"})
    @BreaksDriverRules("writes to a zone with no writable capacity left (blk.drv.38)")
    void aWriteThatExactlyFillsAZoneSucceeds(Tck tck) {
        BlkDriver d = zonedReady(tck);
        ZonedConfig z = zonedModel(d);
        Zone s = emptyBeforeUnwritable(d, z, 0);
        long rest = s.cap() - z.unitSectors();
        assumeTrue(rest * SECTOR_SIZE <= MAX_BYTES, "zone capacity above " + MAX_BYTES + " bytes");
        expectOk("first write of " + s, d.write(s.start(), new byte[z.unit()]));
        byte[] tail = SuiteData.pattern((int) (rest * SECTOR_SIZE), 61);
        expectOk("OUT from the write pointer to the end of the zone's capacity", d.write(s.start() + z.unitSectors(),
                tail));
        expectState(d, s, ZS_FULL, "after writes up to its capacity");
        Completion back = d.read(s.start() + z.unitSectors(), tail.length);
        expectOk("IN of the zone's last sectors, up to its end", back);
        Expect.that(Arrays.equals(tail, back.in()), "the last sectors read back", "different bytes");
        Completion more = d.write(s.start(), new byte[z.unit()]);
        Expect.that(more.status() == S_ZONE_INVALID_CMD
                        || s.type() == ZT_SWR && more.status() == S_ZONE_UNALIGNED_WP,
                "OUT to a zone with no writable capacity left: ZONE_INVALID_CMD"
                        + (s.type() == ZT_SWR ? " (or ZONE_UNALIGNED_WP)" : ""), more.statusName());
    }

    @Test
    @Verifies({"blk.dev.47", "blk.dev.48"})
    @BreaksDriverRules("appends past the zone's writable capacity (blk.drv.38)")
    void appendsThatExactlyFillAZoneSucceed(Tck tck) {
        BlkDriver d = zonedReady(tck);
        ZonedConfig z = zonedModel(d);
        Zone s = swrZone(d, z);
        long chunk = (long) z.maxAppend() / z.unitSectors() * z.unitSectors();
        assumeTrue(chunk > 0 && chunk * SECTOR_SIZE <= MAX_BYTES, "max_append_sectors " + z.maxAppend()
                + " is below one write unit or above " + MAX_BYTES + " bytes");
        long end = s.start() + s.cap();
        long wp = s.start();
        long step = z.unitSectors();
        boolean triedPast = false;
        while (wp < end) {
            long room = end - wp;
            if (!triedPast && room < chunk) {
                triedPast = true;
                expectStatus("ZONE_APPEND of " + chunk + " sectors with " + room + " left in the zone",
                        S_ZONE_INVALID_CMD, append(d, s.start(), new byte[(int) (chunk * SECTOR_SIZE)]));
                Expect.equal("write pointer after the refused append", wp, zone(d, s.start()).wp());
            }
            long n = Math.min(step, room);
            Completion c = append(d, s.start(), new byte[(int) (n * SECTOR_SIZE)]);
            expectOk("ZONE_APPEND of " + n + " sectors at write pointer " + wp + " (zone end " + end + ")", c);
            Expect.equal("append_sector", wp, Le.get(c.in(), 0, 8));
            wp += n;
            step = chunk;
        }
        expectState(d, s, ZS_FULL, "after appends up to its capacity");
        expectStatus("ZONE_APPEND to the filled zone", S_ZONE_INVALID_CMD, append(d, s.start(), new byte[z.unit()]));
    }

    @Test
    @Verifies({"blk.dev.40", "blk.dev.42", "blk.dev.43", "blk.dev.44"})
    @BreaksDriverRules("zone management with a sector that is not a zone start (blk.drv.30)")
    void zoneManagementOffAZoneStartIsInvalid(Tck tck) {
        BlkDriver d = zonedReady(tck);
        ZonedConfig z = zonedModel(d);
        Zone s = emptyZones(d, z, 0, 1).get(0);
        expectOk("write to " + s, d.write(s.start(), new byte[z.unit()]));
        long[] sectors = {s.start() + z.unitSectors(), z.capacity()};
        for (int type : new int[] {T_ZONE_OPEN, T_ZONE_CLOSE, T_ZONE_FINISH, T_ZONE_RESET}) {
            for (long sector : sectors) {
                expectStatus(typeName(type) + " at sector " + sector + ", no zone's start", S_ZONE_INVALID_CMD,
                        op(d, type, sector));
            }
        }
        Zone now = zone(d, s.start());
        Expect.equal("state of " + s + " after the refused requests", zoneStateName(ZS_IOPEN),
                zoneStateName(now.state()));
        Expect.equal("write pointer of " + s + " after the refused requests", s.start() + z.unitSectors(), now.wp());
    }

    @Test
    @Verifies({"blk.dev.59", "blk.dev.38", "blk.dev.44"})
    void secureEraseResetsOnlyTheZonesItCovers(Tck tck) {
        tck.assumeOffered(FeatureBit.BLK_SECURE_ERASE);
        BlkDriver d = zonedReady(tck);
        ZonedConfig z = zonedModel(d);
        assumeTrue(Integer.toUnsignedLong(d.readConfig().maxSecureEraseSectors()) >= z.zoneSectors(),
                "max_secure_erase_sectors is smaller than a zone");
        List<Zone> all = allZones(d, z);
        for (Zone s : all) {
            boolean whole = s.start() + z.zoneSectors() <= z.capacity();
            if (whole && (s.type() == ZT_CONV || s.state() == ZS_RDONLY || s.state() == ZS_OFFLINE)) {
                expectStatus("SECURE_ERASE of " + s + ", which ZONE_RESET refuses", S_ZONE_INVALID_CMD, erase(d, z, s));
                expectState(d, s, s.state(), "after the refused SECURE_ERASE");
            }
        }
        Zone beforeUnwritable = emptyBeforeUnwritable(d, z, 0);
        Zone beforeEmpty = null;
        for (int i = 0; i + 1 < all.size(); i++) {
            Zone s = all.get(i);
            if (s.sequential() && s.state() == ZS_EMPTY && all.get(i + 1).sequential()
                    && all.get(i + 1).state() == ZS_EMPTY && s.start() != beforeUnwritable.start()) {
                beforeEmpty = s;
                break;
            }
        }
        Zone conv = firstOfType(all, ZT_CONV);
        byte[] plain = SuiteData.pattern(z.unit(), 68);
        if (conv != null) {
            expectOk("write to the conventional " + conv, d.write(conv.start(), plain));
        }
        for (Zone s : beforeEmpty == null ? List.of(beforeUnwritable) : List.of(beforeUnwritable, beforeEmpty)) {
            int i = (int) (s.start() / z.zoneSectors());
            if (i + 1 < all.size() && s.start() + z.zoneSectors() <= z.capacity()) {
                eraseBeside(d, z, s, all.get(i + 1));
            }
        }
        if (conv != null) {
            Expect.noCorruption(Arrays.equals(plain, d.read(conv.start(), plain.length).in()),
                    "the conventional zone's data intact after SECURE_ERASE of other zones", "different bytes");
        }
    }

    /** SECURE_ERASE of zone {@code s}, which leaves the zone after it, {@code next}, as it was. */
    private static void eraseBeside(BlkDriver d, ZonedConfig z, Zone s, Zone next) {
        byte[] kept = SuiteData.pattern(z.unit(), 67);
        boolean nextWritten = next.state() == ZS_EMPTY && d.write(next.start(), kept).ok();
        expectOk("write to " + s, d.write(s.start(), new byte[z.unit()]));
        expectOk("SECURE_ERASE of " + s, erase(d, z, s));
        expectState(d, s, ZS_EMPTY, "after SECURE_ERASE");
        Zone after = zone(d, next.start());
        Expect.equal("state of the next zone " + next + " after a SECURE_ERASE of " + s,
                zoneStateName(nextWritten ? ZS_IOPEN : next.state()), zoneStateName(after.state()));
        if (nextWritten) {
            Expect.equal("write pointer of the next zone after the SECURE_ERASE", next.start() + z.unitSectors(),
                    after.wp());
            Expect.noCorruption(Arrays.equals(kept, d.read(next.start(), kept.length).in()),
                    "the next zone's data intact after a SECURE_ERASE of the zone before it", "different bytes");
        }
        expectOk("ZONE_RESET_ALL", op(d, T_ZONE_RESET_ALL, 0));
    }

    private static Completion erase(BlkDriver d, ZonedConfig z, Zone s) {
        return d.submit(BlkRequest.ranges(T_SECURE_ERASE, new Segment(s.start(), z.zoneSectors(), 0)));
    }

    @Test
    @Verifies("blk.dev.17")
    @BreaksDriverRules("ZONE_APPEND whose size is not a multiple of write_granularity (blk.drv.33)")
    void appendGranularityIsEnforced(Tck tck) {
        BlkDriver d = zonedReady(tck);
        ZonedConfig z = zonedModel(d);
        assumeTrue(z.granularity() > SECTOR_SIZE, "write_granularity " + z.granularity() + " is one sector");
        Zone s = swrZone(d, z);
        expectStatus("ZONE_APPEND of one sector (write_granularity " + z.granularity() + ")", S_ZONE_UNALIGNED_WP,
                append(d, s.start(), new byte[SECTOR_SIZE]));
        expectState(d, s, ZS_EMPTY, "after the refused append");
    }

    @Test
    @Verifies({"blk-desc.dev.15", "blk.dev.17", "blk.dev.51"})
    void conventionalZonesTakeSectorWritesUpToTheirEnd(Tck tck) {
        BlkDriver d = zonedReady(tck);
        ZonedConfig z = zonedModel(d);
        List<Zone> all = allZones(d, z);
        Zone conv = firstOfType(all, ZT_CONV);
        assumeTrue(conv != null, "the device has no conventional zone");
        long end = conv.start() + z.zoneSectors();
        assumeTrue(end <= z.capacity(), "the conventional zone is a short last zone");
        byte[] data = SuiteData.pattern(SECTOR_SIZE, 63);
        expectOk("OUT of the conventional zone's last sector (no write_granularity there)", d.write(end - 1, data));
        Expect.that(Arrays.equals(data, d.read(end - 1, SECTOR_SIZE).in()), "the sector reads back", "different bytes");
        expectState(d, conv, ZS_NOT_WP, "after a write up to its end");
        int i = (int) (end / z.zoneSectors());
        assumeTrue(i < all.size() && all.get(i).type() == ZT_SWR && all.get(i).state() == ZS_EMPTY,
                "the conventional zone is not followed by an EMPTY SWR zone");
        expectStatus("OUT from the conventional zone into the SWR zone after it", S_ZONE_INVALID_CMD,
                d.write(end - z.unitSectors(), new byte[2 * z.unit()]));
        expectState(d, all.get(i), ZS_EMPTY, "after the refused write that reached into it");
    }

    @Test
    @Verifies({"blk-desc.dev.14", "blk.dev.10"})
    void aReportNeverDescribesZonesPastTheLast(Tck tck) {
        BlkDriver d = zonedReady(tck);
        ZonedConfig z = zonedModel(d);
        long count = z.zoneCount();
        assumeTrue(count <= 1024, "more than 1024 zones");
        expectReportFrom(d, z, 0, (int) count + 2);
        expectReportFrom(d, z, (count - 1) * z.zoneSectors(), 3);
    }

    private static void expectReportFrom(BlkDriver d, ZonedConfig z, long sector, int room) {
        ZoneReport r = report(d, sector, room, 0);
        expectOk("ZONE_REPORT from sector " + sector + " with room for " + room + " descriptors", r.completion());
        long left = z.zoneCount() - sector / z.zoneSectors();
        Expect.that(r.nrZones() >= 1 && r.nrZones() <= left, "nr_zones from sector " + sector + " in 1.." + left
                + " (zones from there to the last)", "nr_zones = " + r.nrZones());
        for (int i = 0; i < r.zones().size(); i++) {
            Expect.equal("z_start of descriptor " + i + " of the report from sector " + sector,
                    sector + (long) i * z.zoneSectors(), r.zones().get(i).start());
        }
    }

    @Test
    @Verifies({"blk-desc.dev.17", "blk.dev.12"})
    void resetAllLeavesOtherZonesAloneAndFreesTheOpenResources(Tck tck) {
        tck.assumeOffered(FeatureBit.BLK_ZONED);
        BlkDriver d = tck.driver();
        Expect.that(d.begin(), "Status reads 0 after reset", "it did not");
        BlkDriver.Init init = d.finish(ZonedDriver.features(d), 0);
        Expect.that(init.ok(), "careful initialization with ZONED accepted", String.valueOf(init.problem()));
        ZonedConfig z = zonedModel(d);
        List<Zone> before = allZones(d, z);
        int want = z.maxOpen() > 0 ? z.maxOpen() : 2;
        List<Zone> opened = new ArrayList<>();
        for (Zone s : before) {
            if (opened.size() < want && s.sequential() && s.state() == ZS_EMPTY
                    && op(d, T_ZONE_OPEN, s.start()).ok()) {
                opened.add(s);
            }
        }
        expectOk("ZONE_RESET_ALL", op(d, T_ZONE_RESET_ALL, 0));
        List<Zone> after = allZones(d, z);
        for (int i = 0; i < Math.min(before.size(), after.size()); i++) {
            Zone b = before.get(i);
            Zone a = after.get(i);
            int s = b.state();
            boolean resets = s == ZS_IOPEN || s == ZS_EOPEN || s == ZS_CLOSED || s == ZS_FULL || opened.contains(b);
            Expect.equal("state of " + b + " after ZONE_RESET_ALL", zoneStateName(resets ? ZS_EMPTY : s),
                    zoneStateName(a.state()));
        }
        for (Zone s : opened) {
            expectOk("ZONE_OPEN of " + s + " again once ZONE_RESET_ALL closed every zone (max_open_zones "
                    + z.maxOpen() + ")", op(d, T_ZONE_OPEN, s.start()));
        }
    }

    @Test
    @Verifies("blk.dev.51")
    void aLongReadFromInsideAnSwrZoneAcrossItsEndIsInvalid(Tck tck) {
        BlkDriver d = zonedReady(tck);
        ZonedConfig z = zonedModel(d);
        assumeTrue((long) z.zoneSectors() * SECTOR_SIZE <= MAX_BYTES, "zone_sectors above " + MAX_BYTES + " bytes");
        List<Zone> all = allZones(d, z);
        Zone s = null;
        for (int i = 0; i + 1 < all.size() && s == null; i++) {
            boolean readable = all.get(i).state() != ZS_OFFLINE && all.get(i + 1).state() != ZS_OFFLINE;
            s = all.get(i).type() == ZT_SWR && readable ? all.get(i) : null;
        }
        assumeTrue(s != null, "no SWR zone followed by another zone");
        expectStatus("IN of zone_sectors sectors from one sector into SWR " + s, S_ZONE_INVALID_CMD,
                d.read(s.start() + 1, z.zoneSectors() * SECTOR_SIZE));
    }

    @Test
    @Verifies({"blk.dev.52", "blk-desc.dev.9"})
    void aWriteBehindTheWritePointerOfAnSwpZoneKeepsEveryByte(Tck tck) {
        BlkDriver d = zonedReady(tck);
        ZonedConfig z = zonedModel(d);
        Zone s = emptyZones(d, z, ZT_SWP, 1).get(0);
        byte[] first = SuiteData.pattern(2 * z.unit(), 65);
        expectOk("write at the write pointer of " + s, d.write(s.start(), first));
        byte[] again = SuiteData.pattern(z.unit(), 66);
        Completion c = d.write(s.start(), again);
        Expect.that(c.ok() || c.status() == S_ZONE_UNALIGNED_WP, "OUT behind the write pointer of an SWP zone: OK "
                + "(host-aware zones take random writes) or ZONE_UNALIGNED_WP (blk.dev.52 as written)", c.statusName());
        byte[] expected = first.clone();
        if (c.ok()) {
            System.arraycopy(again, 0, expected, 0, again.length);
        }
        Expect.that(Arrays.equals(expected, d.read(s.start(), expected.length).in()),
                "the zone's data " + (c.ok() ? "with the rewrite" : "unchanged by the refused write"), "different bytes");
    }

    @Test
    @Verifies({"blk.dev.54", "blk.dev.55"})
    void requestsWithoutDataToReadOnlyOrOfflineZonesAreInvalid(Tck tck) {
        BlkDriver d = zonedReady(tck);
        ZonedConfig z = zonedModel(d);
        List<Zone> stuck = readOnlyOrOfflineZones(d, z);
        for (Zone s : stuck) {
            if (s.state() == ZS_OFFLINE) {
                expectStatus("IN without data at " + s, S_ZONE_INVALID_CMD,
                        d.submit(BlkRequest.of(T_IN, s.start(), null, 0)));
            }
            expectStatus("OUT without data at " + s, S_ZONE_INVALID_CMD, d.write(s.start(), new byte[0]));
            expectState(d, s, s.state(), "after the refused requests");
        }
    }

    @Test
    @Verifies("blk-desc.dev.10")
    @BreaksDriverRules("reads and writes past the capacity, which drivers must not do (blk.drv.12)")
    void inAndOutPastTheCapacityFailWithZoned(Tck tck) {
        BlkDriver d = zonedReady(tck);
        ZonedConfig z = zonedModel(d);
        Completion in = d.read(z.capacity(), z.unit());
        Completion out = d.write(z.capacity(), new byte[z.unit()]);
        for (Completion c : new Completion[] {in, out}) {
            Expect.that(c.status() == S_IOERR || c.status() == S_UNSUPP || c.status() == S_ZONE_INVALID_CMD,
                    "an error status (IOERR, or ZONE_INVALID_CMD with ZONED) for a request at sector capacity "
                            + z.capacity(), c.statusName());
        }
    }

    /**
     * An EMPTY sequential zone (of {@code type}, 0 for any) of full size, preferably one followed by a zone that
     * cannot be written (READ_ONLY or OFFLINE), so that a request ending exactly at its end is seen to stay in it.
     */
    private static Zone emptyBeforeUnwritable(BlkDriver d, ZonedConfig z, int type) {
        List<Zone> all = allZones(d, z);
        Zone pick = null;
        for (int i = 0; i < all.size(); i++) {
            Zone s = all.get(i);
            boolean fits = s.cap() == z.zoneSectors() && s.state() == ZS_EMPTY && s.sequential()
                    && (type == 0 || s.type() == type) && s.cap() > z.unitSectors();
            if (!fits) {
                continue;
            }
            int nextState = i + 1 < all.size() ? all.get(i + 1).state() : -1;
            if (nextState == ZS_RDONLY || nextState == ZS_OFFLINE) {
                return s;
            }
            pick = pick == null ? s : pick;
        }
        assumeTrue(pick != null, "no EMPTY sequential zone of zone_sectors capacity");
        return pick;
    }
}
