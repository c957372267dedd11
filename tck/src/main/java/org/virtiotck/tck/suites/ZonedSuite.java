package org.virtiotck.tck.suites;

import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.virtiotck.spec.Blk.*;
import static org.virtiotck.tck.driver.ZonedDriver.append;
import static org.virtiotck.tck.driver.ZonedDriver.op;
import static org.virtiotck.tck.driver.ZonedDriver.report;
import static org.virtiotck.tck.suites.ZonedChecks.*;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.virtiotck.spec.DeviceStatus;
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
 * Zoned block devices (VIRTIO_BLK_F_ZONED, VirtIO 1.3+, §5.2.4-§5.2.6): negotiation per zoned model, the
 * zoned configuration, ZONE_REPORT, the zone state machine, ZONE_APPEND, write-pointer rules, open/active
 * resources, unwritten data and SECURE_ERASE. Every test SKIPs on a device that does not offer ZONED.
 *
 * <p>The suite's driver negotiates ZONED (it handles HM, HA and NONE, blk.drv.5) on top of the careful
 * driver's feature set, leaves DISCARD out when the model is host-managed (blk.drv.6), and starts every test
 * with ZONE_RESET_ALL so that zone state left on a persistent target does not leak in. Tests that need a
 * kind of zone the target does not have (conventional, SWR, READ_ONLY, OFFLINE) or limits it does not set
 * SKIP.
 */
@Requires({Prerequisite.REQUEST_COMPLETES})
@VirtioSuite("zoned")
class ZonedSuite {
    // ------------------------------------------------------------------ negotiation and configuration

    @Test
    @Verifies("blk.dev.8")
    void hostManagedRefusesFeaturesOkWithoutZoned(Tck tck) {
        tck.assumeOffered(FeatureBit.BLK_ZONED);
        BlkDriver d = tck.driver().judgingRefusals();
        d.begin();
        int model = ZonedDriver.model(d);
        assumeTrue(model == Z_HM, "model is " + model + ", not host-managed");
        long chosen = d.choose(-1L) & ~FeatureBit.mask(FeatureBit.BLK_ZONED) & ~FeatureBit.mask(FeatureBit.BLK_DISCARD);
        d.writeDriverFeatures(chosen);
        boolean kept = d.featuresOk();
        d.fail();
        Expect.that(!kept, "FEATURES_OK left clear by a host-managed device when ZONED is not accepted",
                DeviceStatus.describe(d.mmio().status()));
    }

    @Test
    @Verifies({"blk.dev.7", "blk.dev.18", "blk.dev.37"})
    void hostAwareWithoutZonedGoesOnAsAPlainDisk(Tck tck) {
        tck.assumeOffered(FeatureBit.BLK_ZONED);
        BlkDriver d = tck.driver();
        d.begin();
        int model = ZonedDriver.model(d);
        assumeTrue(model == Z_HA || model == Z_NONE, "model is " + model + ", not host-aware or NONE");
        d.reset();
        BlkDriver.Init init = d.initialize(~FeatureBit.mask(FeatureBit.BLK_ZONED));
        Expect.that(init.ok(), "initialization without ZONED accepted by an HA/NONE device (a SHOULD)",
                String.valueOf(init.problem()));
        var m = d.mmio();
        for (int off = CFG_ZONE_SECTORS; off < CFG_ZONED_MODEL; off += 4) {
            Expect.equal("zoned config field at 0x" + Integer.toHexString(off) + " without ZONED", 0, m.config32(off));
        }
        for (int off = CFG_ZONED_MODEL; off < CONFIG_SIZE; off++) {
            Expect.equal("zoned config byte at 0x" + Integer.toHexString(off) + " without ZONED", 0, m.config8(off));
        }
        byte[] data = SuiteData.pattern(1024, 71);
        for (long sector : new long[] {8, d.capacity() / 2 + 1}) { // the zones past the first are sequential ones
            expectOk("write as a plain disk at sector " + sector, d.write(sector, data));
            Expect.that(Arrays.equals(data, d.read(sector, 1024).in()), "read at sector " + sector
                    + " returns the written bytes", "different bytes");
        }
        for (int type : ZONE_TYPES) {
            int in = type == T_ZONE_REPORT ? 64 : type == T_ZONE_APPEND ? 8 : 0;
            byte[] out = type == T_ZONE_APPEND ? new byte[512] : null;
            Completion c = d.submit(BlkRequest.of(type, 0, out, in));
            expectStatus(typeName(type) + " without ZONED", S_UNSUPP, c);
        }
    }

    @Test
    @Verifies({"blk.dev.9", "blk.dev.18"})
    void modelMatchesTheZonesTheDeviceOperates(Tck tck) {
        BlkDriver d = zonedReady(tck);
        ZonedConfig z = ZonedConfig.read(d);
        Expect.that(z.model() == Z_NONE || z.model() == Z_HM || z.model() == Z_HA, "model is 0, 1 or 2",
                "model = " + z.model());
        for (int i = 0; i < 3; i++) {
            Expect.equal("zoned.unused2[" + i + "]", 0, d.mmio().config8(CFG_UNUSED2 + i));
        }
        if (z.model() == Z_NONE) {
            return;
        }
        int seqType = z.model() == Z_HM ? ZT_SWR : ZT_SWP;
        for (Zone zone : allZones(d, z)) {
            Expect.that(zone.type() == ZT_CONV || zone.type() == seqType, "every zone is CONV or "
                    + zoneTypeName(seqType) + " for model " + z.model(), zone.toString());
        }
    }

    @Test
    @Verifies({"blk.dev.10", "blk.dev.11"})
    void zonesAreZoneSectorsLongExceptPossiblyTheLast(Tck tck) {
        BlkDriver d = zonedReady(tck);
        ZonedConfig z = zonedModel(d);
        List<Zone> zones = allZones(d, z);
        Expect.equal("number of zones (ceil(capacity / zone_sectors))", z.zoneCount(), zones.size());
        for (int i = 0; i < zones.size(); i++) {
            Zone zone = zones.get(i);
            long size = Math.min(z.zoneSectors(), z.capacity() - (long) i * z.zoneSectors());
            Expect.equal("z_start of zone " + i, (long) i * z.zoneSectors(), zone.start());
            Expect.that(zone.cap() > 0 && zone.cap() <= size, "z_cap of zone " + i + " in 1.." + size,
                    "z_cap = " + zone.cap());
        }
    }

    @Test
    @Verifies("blk.dev.15")
    void maxAppendFitsSegMaxTimesSizeMax(Tck tck) {
        tck.assumeOffered(FeatureBit.BLK_SEG_MAX, FeatureBit.BLK_SIZE_MAX);
        BlkDriver d = zonedReady(tck);
        ZonedConfig z = zonedModel(d);
        var c = d.readConfig();
        long limit = Integer.toUnsignedLong(c.segMax()) * Integer.toUnsignedLong(c.sizeMax());
        // The text compares sectors with seg_max * size_max (bytes); checked as written, the lenient reading.
        Expect.that(Integer.toUnsignedLong(z.maxAppend()) <= limit, "max_append_sectors <= seg_max * size_max ("
                + limit + ")", "max_append_sectors = " + Integer.toUnsignedString(z.maxAppend()));
    }

    @Test
    @Verifies("blk.dev.58")
    void secureEraseAlignmentIsAMultipleOfZoneSectors(Tck tck) {
        tck.assumeOffered(FeatureBit.BLK_SECURE_ERASE);
        BlkDriver d = zonedReady(tck);
        ZonedConfig z = zonedModel(d);
        Expect.that(d.negotiated(FeatureBit.BLK_SECURE_ERASE), "SECURE_ERASE negotiated", "not negotiated");
        int alignment = d.readConfig().secureEraseSectorAlignment();
        Expect.that(alignment != 0 && Integer.remainderUnsigned(alignment, z.zoneSectors()) == 0,
                "secure_erase_sector_alignment a multiple of zone_sectors " + z.zoneSectors(),
                "secure_erase_sector_alignment = " + Integer.toUnsignedString(alignment));
    }

    // ------------------------------------------------------------------ report

    @Test
    @Verifies("blk-desc.dev.14")
    void reportCountsWholeDescriptorsOnly(Tck tck) {
        BlkDriver d = zonedReady(tck);
        ZonedConfig z = zonedModel(d);
        assumeTrue(z.zoneCount() >= 3, "needs 3 zones");
        ZoneReport r = report(d, 0, 2, ZONE_DESCRIPTOR_SIZE / 2);
        expectOk("ZONE_REPORT with room for 2.5 descriptors", r.completion());
        Expect.equal("nr_zones with room for 2.5 descriptors", 2L, r.nrZones());
        ZoneReport header = report(d, 0, 0, 0);
        expectOk("ZONE_REPORT with room for the header only", header.completion());
        Expect.equal("nr_zones with room for no descriptor", 0L, header.nrZones());
        // The report starts with the zone that holds the sector, which need not be its first (blk.drv.29).
        ZoneReport mid = report(d, z.zoneSectors() + 1L, 1, 0);
        expectOk("ZONE_REPORT from inside zone 1", mid.completion());
        Expect.equal("z_start of the first zone reported from sector zone_sectors+1", (long) z.zoneSectors(),
                mid.zones().get(0).start());
    }

    @Test
    @Verifies("blk-desc.dev.15")
    void conventionalZonesAreNotWpAndSequentialZonesNeverAre(Tck tck) {
        BlkDriver d = zonedReady(tck);
        ZonedConfig z = zonedModel(d);
        List<Zone> zones = allZones(d, z);
        for (Zone zone : zones) {
            if (zone.type() == ZT_CONV) {
                Expect.equal("state of conventional " + zone, zoneStateName(ZS_NOT_WP), zoneStateName(zone.state()));
            } else {
                Expect.that(zone.state() != ZS_NOT_WP, "sequential zone not in NOT_WP", zone.toString());
            }
        }
        Zone s = emptyZones(d, z, 0, 1).get(0);
        expectOk("write at the write pointer", d.write(s.wp(), new byte[z.unit()]));
        Expect.that(zone(d, s.start()).state() != ZS_NOT_WP, "written sequential zone not NOT_WP", "NOT_WP");
        expectOk("ZONE_FINISH", op(d, T_ZONE_FINISH, s.start()));
        Expect.that(zone(d, s.start()).state() != ZS_NOT_WP, "finished sequential zone not NOT_WP", "NOT_WP");
        expectOk("ZONE_RESET", op(d, T_ZONE_RESET, s.start()));
        Expect.that(zone(d, s.start()).state() != ZS_NOT_WP, "reset sequential zone not NOT_WP", "NOT_WP");
    }

    // ------------------------------------------------------------------ state machine

    @Test
    @Verifies("blk-desc.dev.16")
    void repeatedTransitionsSucceedWithoutChange(Tck tck) {
        BlkDriver d = zonedReady(tck);
        ZonedConfig z = zonedModel(d);
        Zone s = emptyZones(d, z, 0, 1).get(0);
        expectOk("ZONE_RESET of an EMPTY zone", op(d, T_ZONE_RESET, s.start()));
        expectState(d, s, ZS_EMPTY, "after ZONE_RESET of an EMPTY zone");
        expectOk("ZONE_OPEN", op(d, T_ZONE_OPEN, s.start()));
        expectOk("ZONE_OPEN of an EOPEN zone", op(d, T_ZONE_OPEN, s.start()));
        expectState(d, s, ZS_EOPEN, "after ZONE_OPEN of an EOPEN zone");
        expectOk("write at the write pointer", d.write(s.start(), new byte[z.unit()]));
        expectOk("ZONE_CLOSE", op(d, T_ZONE_CLOSE, s.start()));
        expectOk("ZONE_CLOSE of a CLOSED zone", op(d, T_ZONE_CLOSE, s.start()));
        expectState(d, s, ZS_CLOSED, "after ZONE_CLOSE of a CLOSED zone");
        expectOk("ZONE_FINISH", op(d, T_ZONE_FINISH, s.start()));
        expectOk("ZONE_FINISH of a FULL zone", op(d, T_ZONE_FINISH, s.start()));
        expectState(d, s, ZS_FULL, "after ZONE_FINISH of a FULL zone");
    }

    @Test
    @Verifies("blk-desc.dev.17")
    void resetAllEmptiesEveryWrittenOpenClosedOrFullZone(Tck tck) {
        BlkDriver d = zonedReady(tck);
        ZonedConfig z = zonedModel(d);
        List<Zone> e = emptyZones(d, z, 0, 2);
        int n = Math.min(e.size(), 4);
        // As many as the resource limits allow: IOPEN, EOPEN, CLOSED, FULL.
        expectOk("write (IOPEN)", d.write(e.get(0).start(), new byte[z.unit()]));
        expectOk("ZONE_FINISH (FULL)", op(d, T_ZONE_FINISH, e.get(1).start()));
        if (n > 2) {
            expectOk("ZONE_OPEN (EOPEN)", op(d, T_ZONE_OPEN, e.get(2).start()));
        }
        if (n > 3 && (z.maxActive() == 0 || z.maxActive() >= 3)) {
            expectOk("write", d.write(e.get(3).start(), new byte[z.unit()]));
            expectOk("ZONE_CLOSE (CLOSED)", op(d, T_ZONE_CLOSE, e.get(3).start()));
        }
        expectOk("ZONE_RESET_ALL", op(d, T_ZONE_RESET_ALL, 0));
        for (Zone s : e.subList(0, n)) {
            Zone now = zone(d, s.start());
            Expect.equal("state of " + s + " after ZONE_RESET_ALL", zoneStateName(ZS_EMPTY), zoneStateName(now.state()));
            Expect.equal("write pointer of " + s + " after ZONE_RESET_ALL", s.start(), now.wp());
        }
    }

    @Test
    @Verifies("blk.dev.38")
    void zoneManagementOfAConventionalZoneIsInvalid(Tck tck) {
        BlkDriver d = zonedReady(tck);
        ZonedConfig z = zonedModel(d);
        Zone conv = firstOfType(allZones(d, z), ZT_CONV);
        assumeTrue(conv != null, "the device has no conventional zone");
        for (int type : new int[] {T_ZONE_OPEN, T_ZONE_CLOSE, T_ZONE_FINISH, T_ZONE_RESET}) {
            expectStatus(typeName(type) + " of a conventional zone", S_ZONE_INVALID_CMD, op(d, type, conv.start()));
        }
    }

    @Test
    @Verifies("blk.dev.40")
    void openingAFullZoneIsInvalid(Tck tck) {
        fullZoneRefuses(tck, T_ZONE_OPEN);
    }

    @Test
    @Verifies("blk.dev.42")
    void closingAFullZoneIsInvalid(Tck tck) {
        fullZoneRefuses(tck, T_ZONE_CLOSE);
    }

    /** Makes a zone FULL by a write and ZONE_FINISH, then expects {@code type} to be refused and change nothing. */
    private static void fullZoneRefuses(Tck tck, int type) {
        BlkDriver d = zonedReady(tck);
        ZonedConfig z = zonedModel(d);
        Zone s = emptyZones(d, z, 0, 1).get(0);
        expectOk("write", d.write(s.start(), new byte[z.unit()]));
        expectOk("ZONE_FINISH", op(d, T_ZONE_FINISH, s.start()));
        expectStatus(typeName(type) + " of a FULL zone", S_ZONE_INVALID_CMD, op(d, type, s.start()));
        expectState(d, s, ZS_FULL, "after the refused " + typeName(type));
    }

    @Test
    @Verifies({"blk.dev.43", "blk.dev.44"})
    void readOnlyAndOfflineZonesCannotBeFinishedOrReset(Tck tck) {
        BlkDriver d = zonedReady(tck);
        ZonedConfig z = zonedModel(d);
        List<Zone> stuck = readOnlyOrOfflineZones(d, z);
        for (Zone s : stuck) {
            expectStatus("ZONE_FINISH of " + s, S_ZONE_INVALID_CMD, op(d, T_ZONE_FINISH, s.start()));
            expectState(d, s, s.state(), "after the refused ZONE_FINISH");
            expectStatus("ZONE_RESET of " + s, S_ZONE_INVALID_CMD, op(d, T_ZONE_RESET, s.start()));
            expectState(d, s, s.state(), "after the refused ZONE_RESET");
        }
    }

    // ------------------------------------------------------------------ resources

    @Test
    @Verifies({"blk.dev.12", "blk.dev.41", "blk.dev.45"})
    void openZoneLimitIsHonoured(Tck tck) {
        BlkDriver d = zonedReady(tck);
        ZonedConfig z = zonedModel(d);
        int bound = z.maxOpen() > 0 ? z.maxOpen() : z.maxActive() > 0 ? z.maxActive() : 8;
        List<Zone> e = emptyZones(d, z, 0, 1);
        int opened = Math.min(bound, e.size());
        for (int i = 0; i < opened; i++) {
            expectOk("ZONE_OPEN of zone " + i + " of " + opened + " (max_open_zones " + z.maxOpen() + ")",
                    op(d, T_ZONE_OPEN, e.get(i).start()));
        }
        if (z.maxOpen() == 0) {
            return; // 0 = no limit: every open within the active limit succeeded
        }
        assumeTrue(e.size() > opened, "needs one more empty zone than max_open_zones");
        Zone next = e.get(opened);
        Completion c = op(d, T_ZONE_OPEN, next.start());
        Expect.that(c.status() == S_ZONE_OPEN_RESOURCE || c.status() == S_ZONE_ACTIVE_RESOURCE,
                "ZONE_OPEN beyond max_open_zones: ZONE_OPEN_RESOURCE (or ACTIVE_RESOURCE)", c.statusName());
        expectState(d, next, ZS_EMPTY, "after the refused ZONE_OPEN");
        Completion w = d.write(next.start(), new byte[z.unit()]);
        Expect.that(w.status() == S_ZONE_OPEN_RESOURCE || w.status() == S_ZONE_ACTIVE_RESOURCE,
                "write to an EMPTY zone with every open resource taken by EOPEN zones: a resource status",
                w.statusName());
        expectState(d, next, ZS_EMPTY, "after the refused write");
    }


    @Test
    @Verifies({"blk.dev.13", "blk.dev.41", "blk.dev.45"})
    void activeZoneLimitIsHonoured(Tck tck) {
        BlkDriver d = zonedReady(tck);
        ZonedConfig z = zonedModel(d);
        assumeTrue(z.maxActive() > 0, "max_active_zones is 0 (no limit)");
        List<Zone> e = emptyZones(d, z, 0, z.maxActive() + 1);
        closeZones(d, z, e.subList(0, z.maxActive()));
        Zone next = e.get(z.maxActive());
        expectStatus("ZONE_OPEN beyond max_active_zones", S_ZONE_ACTIVE_RESOURCE, op(d, T_ZONE_OPEN, next.start()));
        expectState(d, next, ZS_EMPTY, "after the refused ZONE_OPEN");
        expectStatus("write to an EMPTY zone beyond max_active_zones", S_ZONE_ACTIVE_RESOURCE,
                d.write(next.start(), new byte[z.unit()]));
        expectState(d, next, ZS_EMPTY, "after the refused write");
        // A CLOSED zone is already active: it can be opened again.
        expectOk("ZONE_OPEN of a CLOSED zone at the active limit", op(d, T_ZONE_OPEN, e.get(0).start()));
    }

    @Test
    @Verifies("blk-desc.dev.18")
    void exceedingBothLimitsIsActiveResource(Tck tck) {
        BlkDriver d = zonedReady(tck);
        ZonedConfig z = zonedModel(d);
        assumeTrue(z.maxOpen() > 0 && z.maxActive() > 0 && z.maxOpen() <= z.maxActive(),
                "needs both limits, max_open_zones <= max_active_zones");
        List<Zone> e = emptyZones(d, z, 0, z.maxActive() + 1);
        closeZones(d, z, e.subList(0, z.maxActive()));
        for (int i = 0; i < z.maxOpen(); i++) {
            expectOk("ZONE_OPEN of a CLOSED zone", op(d, T_ZONE_OPEN, e.get(i).start()));
        }
        Zone next = e.get(z.maxActive());
        expectStatus("ZONE_OPEN exceeding both max_open_zones and max_active_zones", S_ZONE_ACTIVE_RESOURCE,
                op(d, T_ZONE_OPEN, next.start()));
        expectState(d, next, ZS_EMPTY, "after the refused ZONE_OPEN");
    }

    // ------------------------------------------------------------------ append

    @Test
    @Verifies({"blk.dev.48", "blk-desc.dev.9"})
    void appendReportsWhereItWrote(Tck tck) {
        BlkDriver d = zonedReady(tck);
        ZonedConfig z = zonedModel(d);
        Zone s = swrZone(d, z);
        byte[] a = SuiteData.pattern(z.unit(), 81);
        byte[] b = SuiteData.pattern(z.unit(), 82);
        Completion c1 = append(d, s.start(), a);
        expectOk("first ZONE_APPEND", c1);
        Expect.equal("append_sector of the first append to an EMPTY zone", s.start(), Le.get(c1.in(), 0, 8));
        Completion c2 = append(d, s.start(), b);
        expectOk("second ZONE_APPEND", c2);
        long second = s.start() + z.unitSectors();
        Expect.equal("append_sector of the second append (the previous write pointer)", second, Le.get(c2.in(), 0, 8));
        Expect.equal("write pointer after two appends", second + z.unitSectors(), zone(d, s.start()).wp());
        Expect.that(Arrays.equals(b, d.read(second, z.unit()).in()), "data of the second append at append_sector",
                "different bytes");
    }

    @Test
    @Verifies("blk.dev.14")
    void appendOfExactlyMaxAppendSectorsSucceeds(Tck tck) {
        BlkDriver d = zonedReady(tck);
        ZonedConfig z = zonedModel(d);
        Zone s = swrZone(d, z);
        long bytes = (long) z.maxAppend() * SECTOR_SIZE;
        assumeTrue(z.maxAppend() <= s.cap() && bytes <= 1 << 20 && bytes % z.unit() == 0,
                "max_append_sectors fits neither the zone, 1 MiB of guest RAM, or write_granularity");
        expectOk("ZONE_APPEND of max_append_sectors", append(d, s.start(), new byte[(int) bytes]));
    }

    @Test
    @Verifies({"blk.dev.49", "blk.dev.50"})
    @BreaksDriverRules("appends more than max_append_sectors (blk.drv.34)")
    void appendAboveMaxAppendSectorsFails(Tck tck) {
        BlkDriver d = zonedReady(tck);
        ZonedConfig z = zonedModel(d);
        Zone s = emptyZones(d, z, ZT_SWR, 1).get(0);
        long bytes = (long) z.maxAppend() * SECTOR_SIZE + z.unit();
        assumeTrue(bytes <= 1 << 20, "max_append_sectors exceeds 1 MiB of guest RAM");
        Completion c = append(d, s.start(), new byte[(int) bytes]);
        expectStatus("ZONE_APPEND above max_append_sectors " + z.maxAppend(),
                z.maxAppend() == 0 ? S_UNSUPP : S_ZONE_INVALID_CMD, c);
        expectState(d, s, ZS_EMPTY, "after the refused append");
    }

    @Test
    @Verifies("blk.dev.39")
    void appendToAZoneThatIsNotSwrIsInvalid(Tck tck) {
        BlkDriver d = zonedReady(tck);
        ZonedConfig z = zonedModel(d);
        assumeTrue(z.maxAppend() > 0, "max_append_sectors is 0 (ZONE_APPEND not supported)");
        List<Zone> others = allZones(d, z).stream().filter(x -> x.type() == ZT_CONV
                || x.type() == ZT_SWP && x.state() == ZS_EMPTY).toList();
        assumeTrue(!others.isEmpty(), "the device has no conventional or SWP zone");
        Zone conv = firstOfType(others, ZT_CONV);
        Zone swp = firstOfType(others, ZT_SWP);
        for (Zone s : new Zone[] {conv, swp}) {
            if (s != null) {
                expectStatus("ZONE_APPEND to " + s, S_ZONE_INVALID_CMD, append(d, s.start(), new byte[z.unit()]));
            }
        }
    }

    @Test
    @Verifies("blk.dev.46")
    @BreaksDriverRules("ZONE_APPEND with a sector that is not a zone start (blk.drv.32)")
    void appendNotAtAZoneStartIsInvalid(Tck tck) {
        BlkDriver d = zonedReady(tck);
        ZonedConfig z = zonedModel(d);
        Zone s = swrZone(d, z);
        expectStatus("ZONE_APPEND at zone start + " + z.unitSectors(), S_ZONE_INVALID_CMD,
                append(d, s.start() + z.unitSectors(), new byte[z.unit()]));
        expectState(d, s, ZS_EMPTY, "after the refused append");
    }

    @Test
    @Verifies("blk.dev.47")
    @BreaksDriverRules("writes past the zone's writable capacity (blk.drv.38)")
    void writesPastTheWritableCapacityAreInvalid(Tck tck) {
        BlkDriver d = zonedReady(tck);
        ZonedConfig z = zonedModel(d);
        List<Zone> e = emptyZones(d, z, ZT_SWR, 2);
        Zone full = e.get(0);
        expectOk("ZONE_FINISH", op(d, T_ZONE_FINISH, full.start()));
        if (z.maxAppend() > 0) {
            expectStatus("ZONE_APPEND to a FULL zone", S_ZONE_INVALID_CMD, append(d, full.start(), new byte[z.unit()]));
        }
        Zone s = e.get(1);
        long bytes = s.cap() * SECTOR_SIZE + z.unit();
        if (bytes <= 2 << 20 && s.cap() == Math.min(z.zoneSectors(), z.capacity() - s.start())) {
            expectStatus("OUT of z_cap + " + z.unitSectors() + " sectors at the write pointer", S_ZONE_INVALID_CMD,
                    d.write(s.start(), new byte[(int) bytes]));
            expectState(d, s, ZS_EMPTY, "after the refused write");
        }
    }

    // ------------------------------------------------------------------ write pointer and alignment

    @Test
    @Verifies("blk.dev.52")
    void writeOffTheWritePointerIsUnalignedWp(Tck tck) {
        BlkDriver d = zonedReady(tck);
        ZonedConfig z = zonedModel(d);
        Zone s = emptyZones(d, z, ZT_SWR, 1).get(0);
        expectStatus("OUT at write pointer + " + z.unitSectors() + " of an EMPTY SWR zone", S_ZONE_UNALIGNED_WP,
                d.write(s.start() + z.unitSectors(), new byte[z.unit()]));
        expectState(d, s, ZS_EMPTY, "after the refused write");
        expectOk("OUT at the write pointer", d.write(s.start(), new byte[z.unit()]));
        expectStatus("OUT rewriting the zone start (behind the write pointer)", S_ZONE_UNALIGNED_WP,
                d.write(s.start(), new byte[z.unit()]));
        Expect.equal("write pointer after the refused rewrite", s.start() + z.unitSectors(), zone(d, s.start()).wp());
    }

    @Test
    @Verifies("blk.dev.17")
    @BreaksDriverRules("OUT whose size is not a multiple of write_granularity (blk.drv.36)")
    void writeGranularityIsEnforced(Tck tck) {
        BlkDriver d = zonedReady(tck);
        ZonedConfig z = zonedModel(d);
        assumeTrue(z.granularity() > SECTOR_SIZE, "write_granularity " + z.granularity() + " is one sector");
        Zone s = emptyZones(d, z, ZT_SWR, 1).get(0);
        expectStatus("OUT of one sector at the write pointer (write_granularity " + z.granularity() + ")",
                S_ZONE_UNALIGNED_WP, d.write(s.start(), new byte[SECTOR_SIZE]));
        expectState(d, s, ZS_EMPTY, "after the refused write");
    }

    @Test
    @Verifies("blk.dev.51")
    void readAcrossAnSwrZoneBoundaryIsInvalid(Tck tck) {
        BlkDriver d = zonedReady(tck);
        ZonedConfig z = zonedModel(d);
        List<Zone> zones = allZones(d, z);
        Zone s = null;
        for (int i = 0; i + 1 < zones.size(); i++) {
            if (zones.get(i).type() == ZT_SWR && zones.get(i + 1).state() != ZS_OFFLINE
                    && zones.get(i).state() != ZS_OFFLINE) {
                s = zones.get(i);
                break;
            }
        }
        assumeTrue(s != null, "no SWR zone followed by another zone");
        long end = s.start() + z.zoneSectors();
        expectStatus("IN of 2 sectors across the end of SWR " + s, S_ZONE_INVALID_CMD, d.read(end - 1, 2 * SECTOR_SIZE));
    }

    // ------------------------------------------------------------------ read-only, offline, unwritten data

    @Test
    @Verifies("blk.dev.54")
    @BreaksDriverRules("writes to a READ_ONLY zone, which has no writable capacity (blk.drv.38)")
    void readOnlyZonesRefuseWrites(Tck tck) {
        BlkDriver d = zonedReady(tck);
        ZonedConfig z = zonedModel(d);
        Zone s = allZones(d, z).stream().filter(x -> x.state() == ZS_RDONLY).findFirst().orElse(null);
        assumeTrue(s != null, "the device has no READ_ONLY zone");
        expectStatus("OUT to a READ_ONLY zone", S_ZONE_INVALID_CMD, d.write(s.start(), new byte[z.unit()]));
        if (z.maxAppend() > 0) {
            expectStatus("ZONE_APPEND to a READ_ONLY zone", S_ZONE_INVALID_CMD, append(d, s.start(), new byte[z.unit()]));
        }
    }

    @Test
    @Verifies("blk.dev.55")
    @BreaksDriverRules("writes to an OFFLINE zone, which has no writable capacity (blk.drv.38)")
    void offlineZonesRefuseEverything(Tck tck) {
        BlkDriver d = zonedReady(tck);
        ZonedConfig z = zonedModel(d);
        Zone s = allZones(d, z).stream().filter(x -> x.state() == ZS_OFFLINE).findFirst().orElse(null);
        assumeTrue(s != null, "the device has no OFFLINE zone");
        expectStatus("IN from an OFFLINE zone", S_ZONE_INVALID_CMD, d.read(s.start(), z.unit()));
        expectStatus("OUT to an OFFLINE zone", S_ZONE_INVALID_CMD, d.write(s.start(), new byte[z.unit()]));
        for (int type : new int[] {T_ZONE_OPEN, T_ZONE_CLOSE, T_ZONE_FINISH, T_ZONE_RESET}) {
            expectStatus(typeName(type) + " of an OFFLINE zone", S_ZONE_INVALID_CMD, op(d, type, s.start()));
        }
        if (z.maxAppend() > 0) {
            expectStatus("ZONE_APPEND to an OFFLINE zone", S_ZONE_INVALID_CMD, append(d, s.start(), new byte[z.unit()]));
        }
        expectState(d, s, ZS_OFFLINE, "after the refused requests");
    }


    @Test
    @Verifies({"blk.dev.56", "blk.dev.57"})
    void unwrittenSectorsNeverReturnOldData(Tck tck) {
        BlkDriver d = zonedReady(tck);
        ZonedConfig z = zonedModel(d);
        Zone s = emptyZones(d, z, 0, 1).get(0);
        int unit = z.unit();
        byte[] old = SuiteData.pattern(2 * unit, 91);
        expectOk("first write", d.write(s.start(), old));
        expectOk("ZONE_RESET", op(d, T_ZONE_RESET, s.start()));
        expectNoStaleData(d, s.start(), Arrays.copyOf(old, unit), "a reset zone");
        byte[] fresh = SuiteData.pattern(unit, 92);
        expectOk("write after reset", d.write(s.start(), fresh));
        Expect.that(Arrays.equals(fresh, d.read(s.start(), unit).in()), "written sectors read back", "they do not");
        // The sectors past the write pointer are unwritten, also once FINISH skipped them.
        expectNoStaleData(d, s.start() + z.unitSectors(), Arrays.copyOfRange(old, unit, 2 * unit),
                "the sectors past the write pointer");
        expectOk("ZONE_FINISH", op(d, T_ZONE_FINISH, s.start()));
        expectNoStaleData(d, s.start() + z.unitSectors(), Arrays.copyOfRange(old, unit, 2 * unit),
                "the sectors a FINISH skipped");
    }

    // ------------------------------------------------------------------ secure erase

    @Test
    @Verifies("blk.dev.59")
    void secureEraseResetsTheZonesItCovers(Tck tck) {
        tck.assumeOffered(FeatureBit.BLK_SECURE_ERASE);
        BlkDriver d = zonedReady(tck);
        ZonedConfig z = zonedModel(d);
        var cfg = d.readConfig();
        assumeTrue(Integer.toUnsignedLong(cfg.maxSecureEraseSectors()) >= z.zoneSectors(),
                "max_secure_erase_sectors is smaller than a zone");
        Zone s = emptyZones(d, z, 0, 1).get(0);
        assumeTrue(s.start() + z.zoneSectors() <= z.capacity(), "the only empty zone is a short last zone");
        byte[] data = SuiteData.pattern(z.unit(), 95);
        expectOk("write", d.write(s.start(), data));
        Completion c = d.submit(BlkRequest.ranges(T_SECURE_ERASE, new Segment(s.start(), z.zoneSectors(), 0)));
        expectOk("SECURE_ERASE of one whole zone", c);
        Zone now = zone(d, s.start());
        Expect.equal("state after SECURE_ERASE", zoneStateName(ZS_EMPTY), zoneStateName(now.state()));
        Expect.equal("write pointer after SECURE_ERASE", s.start(), now.wp());
        expectNoStaleData(d, s.start(), data, "an erased zone");
    }
}
