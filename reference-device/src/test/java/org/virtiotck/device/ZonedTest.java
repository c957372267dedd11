package org.virtiotck.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.virtiotck.device.TestDriver.bit;
import static org.virtiotck.device.TestDriver.ro;
import static org.virtiotck.device.TestDriver.wr;
import static org.virtiotck.spec.Blk.*;
import static org.virtiotck.spec.FeatureBit.*;
import static org.virtiotck.spec.MmioRegister.CONFIG;
import static org.virtiotck.spec.MmioRegister.CONFIG_GENERATION;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.virtiotck.spec.DeviceStatus;

/** VIRTIO_BLK_F_ZONED: configuration, negotiation, the zone state machine and every zoned status code. */
class ZonedTest {
    /** 8 zones of 256 sectors: zone 0 conventional, zones 1..7 sequential. */
    static final int ZS = 256;

    static BlockDeviceConfig.Builder zonedBuilder(ZonedModel m) {
        return BlockDeviceConfig.builder().capacitySectors(8 * ZS).zoned(m, ZS, 2, 3, 64, 512, 1);
    }

    static TestDriver hm() {
        return zoned(zonedBuilder(ZonedModel.HOST_MANAGED).build());
    }

    static TestDriver zoned(BlockDeviceConfig c) {
        // A careful driver does not take DISCARD from a host-managed device (blk.drv.6).
        return new TestDriver(c).init(c.zonedModel() == ZonedModel.HOST_MANAGED ? bit(BLK_DISCARD) : 0);
    }

    static List<String> ids(TestDriver d) {
        return d.dev.driverViolations().stream().map(DriverViolation::requirementId).toList();
    }

    static long zs(int z) {
        return (long) z * ZS;
    }

    /** A zone report for {@code room} descriptors: returns {status, nr_zones} and the raw buffer via out[0]. */
    record Report(int status, long nrZones, byte[] raw) {
        int state(int i) { return raw[64 + 64 * i + ZD_STATE]; }
        int type(int i) { return raw[64 + 64 * i + ZD_TYPE]; }
        long le(int i, int field) {
            long v = 0;
            for (int k = 7; k >= 0; k--) {
                v = v << 8 | (raw[64 + 64 * i + field + k] & 0xff);
            }
            return v;
        }
    }

    static Report report(TestDriver d, long sector, int bytes) {
        long h = d.header(T_ZONE_REPORT, sector);
        long buf = d.alloc(bytes);
        long st = d.alloc(1);
        TestDriver.Result r = d.submit(ro(h, 16), wr(buf, bytes), wr(st, 1));
        byte[] raw = d.mem.read(buf, bytes);
        return new Report(r.status(), d.mem.readLe64(buf), raw);
    }

    static int state(TestDriver d, int z) {
        return (int) d.dev.zone(z)[0];
    }

    static long wp(TestDriver d, int z) {
        return d.dev.zone(z)[1];
    }

    /** ZONE_APPEND: returns {status, append_sector}. */
    static long[] append(TestDriver d, long sector, byte[] data) {
        long h = d.header(T_ZONE_APPEND, sector);
        long buf = d.alloc(data.length);
        d.mem.write(buf, data);
        long as = d.alloc(9);
        TestDriver.Result r = d.submit(ro(h, 16), ro(buf, data.length), wr(as, 9));
        return new long[] {r.status(), d.mem.readLe64(as)};
    }

    static int op(TestDriver d, int type, long sector) {
        return d.simple(type, sector).status();
    }

    // ------------------------------------------------------------------ configuration and negotiation

    @Test
    void onlyZonedModelsOfferZonedAndLegacyNever() {
        assertThat(BlockDeviceConfig.builder().build().offers(BLK_ZONED)).isFalse(); // blk.dev.5
        assertThat(zonedBuilder(ZonedModel.HOST_MANAGED).build().offers(BLK_ZONED)).isTrue();
        assertThat(zonedBuilder(ZonedModel.HOST_AWARE).build().offers(BLK_ZONED)).isTrue();
        assertThat(zonedBuilder(ZonedModel.NONE).build().offers(BLK_ZONED)).isFalse();
        assertThatThrownBy(() -> zonedBuilder(ZonedModel.HOST_MANAGED).legacy(true).build())
                .hasMessageContaining("blk.dev.6");
        assertThatThrownBy(() -> BlockDeviceConfig.builder()
                .features(BlockDeviceConfig.defaultModernFeatures() | bit(BLK_ZONED)).build())
                .hasMessageContaining("blk.dev.5");
        // toBuilder round trip keeps the model and can drop it
        BlockDeviceConfig c = zonedBuilder(ZonedModel.HOST_AWARE).build();
        assertThat(c.toBuilder().build().zonedModel()).isEqualTo(ZonedModel.HOST_AWARE);
        assertThat(c.toBuilder().zoned(ZonedModel.NONE, 0, 0, 0, 0, 0, 0).build().offers(BLK_ZONED)).isFalse();
    }

    @Test
    void badZonedConfigurationsAreRefused() {
        assertThatThrownBy(() -> zonedBuilder(ZonedModel.HOST_MANAGED).zoned(ZonedModel.HOST_MANAGED, 0, 0, 0, 0,
                512, 0).build()).hasMessageContaining("zone_sectors");
        assertThatThrownBy(() -> zonedBuilder(ZonedModel.HOST_MANAGED).zoned(ZonedModel.HOST_MANAGED, ZS, 4, 2, 0,
                512, 0).build()).hasMessageContaining("max_active_zones");
        assertThatThrownBy(() -> zonedBuilder(ZonedModel.HOST_MANAGED).zoned(ZonedModel.HOST_MANAGED, ZS, 0, 0, 0,
                1000, 0).build()).hasMessageContaining("write_granularity");
        assertThatThrownBy(() -> zonedBuilder(ZonedModel.HOST_MANAGED).segMax(1).sizeMax(4096).build())
                .hasMessageContaining("blk.dev.15");
        assertThatThrownBy(() -> zonedBuilder(ZonedModel.HOST_MANAGED).secureEraseLimits(32768, 8, 8).build())
                .hasMessageContaining("blk.dev.58");
        assertThatThrownBy(() -> zonedBuilder(ZonedModel.HOST_MANAGED).readOnlyZones(0).build())
                .hasMessageContaining("not a sequential zone");
        assertThat(zonedBuilder(ZonedModel.HOST_MANAGED).build().secureEraseSectorAlignment()).isEqualTo(ZS);
    }

    @Test
    void zonedFieldsAreReadableBeforeFeaturesOk() {
        TestDriver d = new TestDriver(zonedBuilder(ZonedModel.HOST_MANAGED).build());
        assertThat(d.r(CONFIG + CFG_ZONE_SECTORS)).isEqualTo(ZS);
        assertThat(d.r(CONFIG + CFG_MAX_OPEN_ZONES)).isEqualTo(2);
        assertThat(d.r(CONFIG + CFG_MAX_ACTIVE_ZONES)).isEqualTo(3);
        assertThat(d.r(CONFIG + CFG_MAX_APPEND_SECTORS)).isEqualTo(64);
        assertThat(d.r(CONFIG + CFG_WRITE_GRANULARITY)).isEqualTo(512);
        assertThat(d.dev.read(CONFIG + CFG_ZONED_MODEL, 1)).isEqualTo(Z_HM);
        for (int i = 0; i < 3; i++) {
            assertThat(d.dev.read(CONFIG + CFG_UNUSED2 + i, 1)).isZero(); // blk.dev.18
        }
        assertThat(d.r(CONFIG + CFG_SECURE_ERASE_SECTOR_ALIGNMENT) % ZS).isZero(); // blk.dev.58
        assertThat(d.dev.driverViolations()).isEmpty();
    }

    @Test
    void hostManagedRefusesFeaturesOkWithoutZoned() {
        TestDriver d = new TestDriver(zonedBuilder(ZonedModel.HOST_MANAGED).build());
        long f = d.deviceFeatures() & ~bit(BLK_ZONED) & ~bit(BLK_DISCARD);
        assertThat(d.negotiate(f)).isFalse(); // blk.dev.8
        assertThat(d.negotiate(f | bit(BLK_ZONED))).isTrue();
        assertThat(d.dev.driverViolations()).isEmpty();
    }

    @Test
    void hostAwareWithoutZonedGoesOnWithZeroedFields() {
        TestDriver d = new TestDriver(zonedBuilder(ZonedModel.HOST_AWARE).build());
        int gen = d.r(CONFIG_GENERATION);
        d.init(bit(BLK_ZONED)); // blk.dev.7
        assertThat(d.r(CONFIG_GENERATION)).isNotEqualTo(gen);
        for (int off = CFG_ZONE_SECTORS; off < CFG_ZONED_MODEL; off += 4) {
            assertThat(d.r(CONFIG + off)).as("field at %d", off).isZero();
        }
        for (int off = CFG_ZONED_MODEL; off < CONFIG_SIZE; off++) {
            assertThat(d.dev.read(CONFIG + off, 1)).as("byte %d", off).isZero();
        }
        // A plain disk: random writes anywhere, zone requests unsupported (blk.dev.37).
        byte[] data = TestDriver.pattern(1024, 3);
        assertThat(d.write(zs(3) + 100, data).status()).isEqualTo(S_OK);
        assertThat(d.read(zs(3) + 100, 1024).data()).isEqualTo(data);
        assertThat(d.write(zs(2) + 250, data).status()).isEqualTo(S_OK); // crosses a zone boundary
        for (int type : ZONE_TYPES) {
            assertThat(d.simple(type, 0).status()).as(typeName(type)).isEqualTo(S_UNSUPP);
        }
        // After reset the fields are back.
        d.w(org.virtiotck.spec.MmioRegister.STATUS, 0);
        assertThat(d.r(CONFIG + CFG_ZONE_SECTORS)).isEqualTo(ZS);
        assertThat(d.dev.read(CONFIG + CFG_ZONED_MODEL, 1)).isEqualTo(Z_HA);
        assertThat(d.dev.driverViolations()).isEmpty();
    }

    @Test
    void hostManagedDiscardAcceptanceIsRecorded() {
        TestDriver d = new TestDriver(zonedBuilder(ZonedModel.HOST_MANAGED).build());
        assertThat(d.negotiate(d.deviceFeatures())).isTrue();
        assertThat(ids(d)).containsExactly("blk.drv.6");
    }

    // ------------------------------------------------------------------ report

    @Test
    void reportListsEveryZoneAndCountsWholeDescriptorsOnly() {
        TestDriver d = hm();
        Report r = report(d, 0, 64 + 64 * 8);
        assertThat(r.status()).isEqualTo(S_OK);
        assertThat(r.nrZones()).isEqualTo(8);
        assertThat(r.type(0)).isEqualTo(ZT_CONV);
        assertThat(r.state(0)).isEqualTo(ZS_NOT_WP); // blk-desc.dev.15
        for (int z = 1; z < 8; z++) {
            assertThat(r.type(z)).isEqualTo(ZT_SWR);
            assertThat(r.state(z)).isEqualTo(ZS_EMPTY);
            assertThat(r.le(z, ZD_START)).isEqualTo(zs(z));
            assertThat(r.le(z, ZD_WP)).isEqualTo(zs(z));
            assertThat(r.le(z, ZD_CAP)).isEqualTo(ZS);
        }
        // Room for 2.5 descriptors from sector 300 (inside zone 1): two whole ones (blk-desc.dev.14).
        Report p = report(d, 300, 64 + 64 * 2 + 32);
        assertThat(p.nrZones()).isEqualTo(2);
        assertThat(p.le(0, ZD_START)).isEqualTo(zs(1));
        // A header-only buffer: nr_zones 0.
        assertThat(report(d, 0, 64).nrZones()).isZero();
        assertThat(d.dev.driverViolations()).isEmpty();
    }

    @Test
    void lastZoneMayBeSmaller() {
        TestDriver d = zoned(BlockDeviceConfig.builder().capacitySectors(3 * ZS + 100)
                .zoned(ZonedModel.HOST_MANAGED, ZS, 0, 0, 64, 512, 0).build());
        Report r = report(d, 0, 64 + 64 * 8);
        assertThat(r.nrZones()).isEqualTo(4);
        assertThat(r.le(3, ZD_CAP)).isEqualTo(100);
        assertThat(d.write(zs(3), new byte[100 * 512]).status()).isEqualTo(S_OK);
        assertThat(state(d, 3)).isEqualTo(ZS_FULL);
    }

    // ------------------------------------------------------------------ state machine

    @Test
    void writesOpenImplicitlyAndMoveTheWritePointer() {
        TestDriver d = hm();
        assertThat(d.write(zs(1), new byte[4096]).status()).isEqualTo(S_OK);
        assertThat(state(d, 1)).isEqualTo(ZS_IOPEN);
        assertThat(wp(d, 1)).isEqualTo(zs(1) + 8);
        assertThat(op(d, T_ZONE_OPEN, zs(1))).isEqualTo(S_OK);
        assertThat(state(d, 1)).isEqualTo(ZS_EOPEN);
        assertThat(op(d, T_ZONE_OPEN, zs(1))).isEqualTo(S_OK); // blk-desc.dev.16
        assertThat(state(d, 1)).isEqualTo(ZS_EOPEN);
        assertThat(op(d, T_ZONE_CLOSE, zs(1))).isEqualTo(S_OK);
        assertThat(state(d, 1)).isEqualTo(ZS_CLOSED);
        assertThat(op(d, T_ZONE_CLOSE, zs(1))).isEqualTo(S_OK);
        assertThat(state(d, 1)).isEqualTo(ZS_CLOSED);
        assertThat(d.write(zs(1) + 8, new byte[512]).status()).isEqualTo(S_OK);
        assertThat(state(d, 1)).isEqualTo(ZS_IOPEN);
        assertThat(op(d, T_ZONE_FINISH, zs(1))).isEqualTo(S_OK);
        assertThat(state(d, 1)).isEqualTo(ZS_FULL);
        assertThat(op(d, T_ZONE_FINISH, zs(1))).isEqualTo(S_OK);
        assertThat(op(d, T_ZONE_OPEN, zs(1))).isEqualTo(S_ZONE_INVALID_CMD); // blk.dev.40
        assertThat(op(d, T_ZONE_CLOSE, zs(1))).isEqualTo(S_ZONE_INVALID_CMD); // blk.dev.42
        assertThat(d.write(zs(1) + 9, new byte[512]).status()).isEqualTo(S_ZONE_INVALID_CMD); // FULL
        assertThat(ids(d)).containsExactly("blk.drv.38");
        d.dev.clearDriverViolations();
        assertThat(op(d, T_ZONE_RESET, zs(1))).isEqualTo(S_OK);
        assertThat(state(d, 1)).isEqualTo(ZS_EMPTY);
        assertThat(wp(d, 1)).isEqualTo(zs(1));
        assertThat(op(d, T_ZONE_RESET, zs(1))).isEqualTo(S_OK);
        assertThat(op(d, T_ZONE_CLOSE, zs(1))).isEqualTo(S_ZONE_INVALID_CMD); // EMPTY cannot close
        // Explicitly opened and closed with nothing written: back to EMPTY.
        assertThat(op(d, T_ZONE_OPEN, zs(2))).isEqualTo(S_OK);
        assertThat(op(d, T_ZONE_CLOSE, zs(2))).isEqualTo(S_OK);
        assertThat(state(d, 2)).isEqualTo(ZS_EMPTY);
        assertThat(d.dev.driverViolations()).isEmpty();
    }

    @Test
    void fillingAZoneMakesItFull() {
        TestDriver d = hm();
        for (int i = 0; i < 4; i++) {
            assertThat(d.write(zs(2) + 64L * i, new byte[64 * 512]).status()).isEqualTo(S_OK);
        }
        assertThat(state(d, 2)).isEqualTo(ZS_FULL);
        assertThat(wp(d, 2)).isEqualTo(zs(3));
    }

    @Test
    void resetAllEmptiesEverySequentialZone() {
        TestDriver d = hm();
        d.write(zs(1), new byte[512]);
        op(d, T_ZONE_OPEN, zs(2));
        d.write(zs(3), new byte[512]);
        op(d, T_ZONE_CLOSE, zs(3));
        op(d, T_ZONE_FINISH, zs(4));
        d.write(zs(0) + 7, new byte[512]); // conventional
        assertThat(op(d, T_ZONE_RESET_ALL, 0)).isEqualTo(S_OK);
        for (int z = 1; z < 8; z++) {
            assertThat(state(d, z)).as("zone %d", z).isEqualTo(ZS_EMPTY);
            assertThat(wp(d, z)).isEqualTo(zs(z));
        }
        assertThat(state(d, 0)).isEqualTo(ZS_NOT_WP);
        assertThat(d.dev.driverViolations()).isEmpty();
    }

    // ------------------------------------------------------------------ status codes

    @Test
    void conventionalZonesRejectZoneManagementAndAppend() {
        TestDriver d = hm();
        for (int type : new int[] {T_ZONE_OPEN, T_ZONE_CLOSE, T_ZONE_FINISH, T_ZONE_RESET}) {
            assertThat(op(d, type, 0)).as(typeName(type)).isEqualTo(S_ZONE_INVALID_CMD); // blk.dev.38
        }
        assertThat(append(d, 0, new byte[512])[0]).isEqualTo(S_ZONE_INVALID_CMD); // blk.dev.39
        // But it reads and writes like a plain disk, anywhere.
        byte[] data = TestDriver.pattern(1024, 9);
        assertThat(d.write(100, data).status()).isEqualTo(S_OK);
        assertThat(d.write(10, data).status()).isEqualTo(S_OK);
        assertThat(d.read(100, 1024).data()).isEqualTo(data);
        assertThat(d.dev.driverViolations()).isEmpty();
    }

    @Test
    void writeOffTheWritePointerIsUnalignedWp() {
        TestDriver d = hm();
        assertThat(d.write(zs(1) + 8, new byte[512]).status()).isEqualTo(S_ZONE_UNALIGNED_WP); // blk.dev.52
        assertThat(state(d, 1)).isEqualTo(ZS_EMPTY);
        d.write(zs(1), new byte[1024]);
        assertThat(d.write(zs(1), new byte[512]).status()).isEqualTo(S_ZONE_UNALIGNED_WP);
        assertThat(wp(d, 1)).isEqualTo(zs(1) + 2);
        assertThat(d.dev.driverViolations()).isEmpty();
    }

    @Test
    void writeGranularityIsEnforced() {
        TestDriver d = zoned(BlockDeviceConfig.builder().capacitySectors(8 * ZS)
                .zoned(ZonedModel.HOST_MANAGED, ZS, 0, 0, 64, 4096, 1).build());
        assertThat(d.write(zs(1), new byte[512]).status()).isEqualTo(S_ZONE_UNALIGNED_WP); // blk.dev.17
        assertThat(append(d, zs(1), new byte[1024])[0]).isEqualTo(S_ZONE_UNALIGNED_WP);
        assertThat(ids(d)).containsExactly("blk.drv.36", "blk.drv.33");
        d.dev.clearDriverViolations();
        assertThat(d.write(zs(1), new byte[4096]).status()).isEqualTo(S_OK);
        assertThat(d.dev.driverViolations()).isEmpty();
    }

    @Test
    void openLimitGivesOpenResource() {
        TestDriver d = hm(); // max_open 2, max_active 3
        assertThat(op(d, T_ZONE_OPEN, zs(1))).isEqualTo(S_OK);
        assertThat(op(d, T_ZONE_OPEN, zs(2))).isEqualTo(S_OK);
        assertThat(op(d, T_ZONE_OPEN, zs(3))).isEqualTo(S_ZONE_OPEN_RESOURCE); // blk.dev.12/41
        assertThat(state(d, 3)).isEqualTo(ZS_EMPTY);
        assertThat(d.write(zs(3), new byte[512]).status()).isEqualTo(S_ZONE_OPEN_RESOURCE); // blk.dev.45
        assertThat(state(d, 3)).isEqualTo(ZS_EMPTY);
        assertThat(d.dev.driverViolations()).isEmpty();
    }

    @Test
    void activeLimitGivesActiveResourceAlsoWhenBothAreExceeded() {
        TestDriver d = hm(); // max_open 2, max_active 3
        for (int z = 1; z <= 3; z++) {
            assertThat(d.write(zs(z), new byte[512]).status()).isEqualTo(S_OK);
            assertThat(op(d, T_ZONE_CLOSE, zs(z))).isEqualTo(S_OK);
        }
        assertThat(op(d, T_ZONE_OPEN, zs(4))).isEqualTo(S_ZONE_ACTIVE_RESOURCE); // blk.dev.13/41
        assertThat(d.write(zs(4), new byte[512]).status()).isEqualTo(S_ZONE_ACTIVE_RESOURCE); // blk.dev.45
        // Closed zones can still be opened (no new active resource).
        assertThat(op(d, T_ZONE_OPEN, zs(1))).isEqualTo(S_OK);
        assertThat(op(d, T_ZONE_OPEN, zs(2))).isEqualTo(S_OK);
        // Now both the open and the active limit would be exceeded: ACTIVE_RESOURCE (blk-desc.dev.18).
        assertThat(op(d, T_ZONE_OPEN, zs(5))).isEqualTo(S_ZONE_ACTIVE_RESOURCE);
        assertThat(state(d, 5)).isEqualTo(ZS_EMPTY);
        assertThat(d.dev.driverViolations()).isEmpty();
    }

    @Test
    void implicitOpenAtTheOpenLimitClosesAnImplicitlyOpenZone() {
        TestDriver d = hm();
        d.write(zs(1), new byte[512]);
        d.write(zs(2), new byte[512]);
        assertThat(d.write(zs(3), new byte[512]).status()).isEqualTo(S_OK); // blk.dev.53
        assertThat(state(d, 1)).isEqualTo(ZS_CLOSED);
        assertThat(state(d, 3)).isEqualTo(ZS_IOPEN);
        assertThat(d.dev.driverViolations()).isEmpty();
    }

    @Test
    void appendReturnsTheSectorItWrote() {
        TestDriver d = hm();
        byte[] a = TestDriver.pattern(1024, 1);
        long[] r1 = append(d, zs(2), a);
        long[] r2 = append(d, zs(2), TestDriver.pattern(512, 2));
        assertThat(r1).containsExactly(S_OK, zs(2)); // blk.dev.48
        assertThat(r2).containsExactly(S_OK, zs(2) + 2);
        assertThat(state(d, 2)).isEqualTo(ZS_IOPEN);
        assertThat(d.read(zs(2), 1024).data()).isEqualTo(a);
        assertThat(d.dev.driverViolations()).isEmpty();
    }

    @Test
    void appendErrors() {
        TestDriver d = hm();
        assertThat(append(d, zs(2) + 8, new byte[512])[0]).isEqualTo(S_ZONE_INVALID_CMD); // blk.dev.46
        assertThat(append(d, zs(2), new byte[65 * 512])[0]).isEqualTo(S_ZONE_INVALID_CMD); // blk.dev.50
        assertThat(ids(d)).containsExactly("blk.drv.32", "blk.drv.34");
        d.dev.clearDriverViolations();
        op(d, T_ZONE_FINISH, zs(3));
        assertThat(append(d, zs(3), new byte[512])[0]).isEqualTo(S_ZONE_INVALID_CMD); // blk.dev.47: FULL
        assertThat(ids(d)).containsExactly("blk.drv.38");
        d.dev.clearDriverViolations();
        // Appends fill a zone to the brim, then one more sector does not fit.
        for (int i = 0; i < 4; i++) {
            assertThat(append(d, zs(4), new byte[64 * 512])[0]).isEqualTo(S_OK);
        }
        assertThat(state(d, 4)).isEqualTo(ZS_FULL);
        // No room for append_sector: IOERR.
        long h = d.header(T_ZONE_APPEND, zs(5));
        long buf = d.alloc(512);
        long st = d.alloc(1);
        assertThat(d.submit(ro(h, 16), ro(buf, 512), wr(st, 1)).status()).isEqualTo(S_IOERR);
    }

    @Test
    void appendWithoutSupportIsUnsupported() {
        TestDriver d = zoned(BlockDeviceConfig.builder().capacitySectors(8 * ZS)
                .zoned(ZonedModel.HOST_MANAGED, ZS, 0, 0, 0, 512, 1).build());
        assertThat(append(d, zs(1), new byte[512])[0]).isEqualTo(S_UNSUPP); // blk.dev.49
        assertThat(ids(d)).containsExactly("blk.drv.34");
    }

    @Test
    void requestsSpanningZonesAreInvalid() {
        TestDriver d = hm();
        assertThat(d.read(zs(2) - 4, 4096).status()).isEqualTo(S_ZONE_INVALID_CMD); // blk.dev.51 (conv -> SWR)
        assertThat(d.read(zs(2) + 250, 4096).status()).isEqualTo(S_ZONE_INVALID_CMD); // SWR -> SWR
        op(d, T_ZONE_OPEN, zs(2));
        for (int i = 0; i < 3; i++) {
            d.write(zs(2) + 64L * i, new byte[64 * 512]);
        }
        // 64 sectors left: a write of 72 from the write pointer goes past the zone (blk.dev.47/51).
        assertThat(d.write(zs(2) + 192, new byte[72 * 512]).status()).isEqualTo(S_ZONE_INVALID_CMD);
        assertThat(ids(d)).containsExactly("blk.drv.38");
        assertThat(wp(d, 2)).isEqualTo(zs(2) + 192);
    }

    @Test
    void unwrittenSectorsReadAsZeros() {
        TestDriver d = hm();
        byte[] data = TestDriver.pattern(2048, 5);
        d.write(zs(1), data);
        byte[] r = d.read(zs(1), 4096).data(); // blk.dev.56/57
        assertThat(java.util.Arrays.copyOf(r, 2048)).isEqualTo(data);
        assertThat(java.util.Arrays.copyOfRange(r, 2048, 4096)).isEqualTo(new byte[2048]);
        op(d, T_ZONE_FINISH, zs(1));
        assertThat(java.util.Arrays.copyOfRange(d.read(zs(1), 4096).data(), 2048, 4096)).isEqualTo(new byte[2048]);
        op(d, T_ZONE_RESET, zs(1));
        assertThat(d.read(zs(1), 2048).data()).isEqualTo(new byte[2048]); // old data is gone
        assertThat(d.dev.driverViolations()).isEmpty();
    }

    @Test
    void readOnlyAndOfflineZones() {
        TestDriver d = zoned(zonedBuilder(ZonedModel.HOST_MANAGED).readOnlyZones(6).offlineZones(7).build());
        Report r = report(d, zs(6), 64 + 128);
        assertThat(r.state(0)).isEqualTo(ZS_RDONLY);
        assertThat(r.state(1)).isEqualTo(ZS_OFFLINE);
        assertThat(d.read(zs(6), 512).status()).isEqualTo(S_OK);
        assertThat(d.write(zs(6), new byte[512]).status()).isEqualTo(S_ZONE_INVALID_CMD); // blk.dev.54
        assertThat(append(d, zs(6), new byte[512])[0]).isEqualTo(S_ZONE_INVALID_CMD);
        assertThat(op(d, T_ZONE_FINISH, zs(6))).isEqualTo(S_ZONE_INVALID_CMD); // blk.dev.43
        assertThat(op(d, T_ZONE_RESET, zs(6))).isEqualTo(S_ZONE_INVALID_CMD); // blk.dev.44
        for (int type : new int[] {T_ZONE_OPEN, T_ZONE_CLOSE, T_ZONE_FINISH, T_ZONE_RESET}) {
            assertThat(op(d, type, zs(7))).as(typeName(type)).isEqualTo(S_ZONE_INVALID_CMD); // blk.dev.55
        }
        assertThat(d.read(zs(7), 512).status()).isEqualTo(S_ZONE_INVALID_CMD);
        assertThat(d.write(zs(7), new byte[512]).status()).isEqualTo(S_ZONE_INVALID_CMD);
        assertThat(append(d, zs(7), new byte[512])[0]).isEqualTo(S_ZONE_INVALID_CMD);
        op(d, T_ZONE_RESET_ALL, 0);
        assertThat(state(d, 6)).isEqualTo(ZS_RDONLY);
        assertThat(state(d, 7)).isEqualTo(ZS_OFFLINE);
    }

    @Test
    void secureEraseResetsTheZonesItCovers() {
        TestDriver d = hm();
        d.write(zs(2), TestDriver.pattern(1024, 7));
        d.write(zs(3), TestDriver.pattern(1024, 8));
        long h = d.header(T_SECURE_ERASE, 0);
        long s = d.alloc(16);
        d.mem.writeLe64(s, zs(2));
        d.mem.writeLe32(s + 8, 2 * ZS);
        d.mem.writeLe32(s + 12, 0);
        long st = d.alloc(1);
        assertThat(d.submit(ro(h, 16), ro(s, 16), wr(st, 1)).status()).isEqualTo(S_OK); // blk.dev.59
        assertThat(state(d, 2)).isEqualTo(ZS_EMPTY);
        assertThat(state(d, 3)).isEqualTo(ZS_EMPTY);
        assertThat(d.dev.backend().read(zs(2) * 512, 1024)).isEqualTo(new byte[1024]);
        // Part of a zone: blk.drv.39, ZONE_INVALID_CMD, nothing changed.
        d.write(zs(4), new byte[512]);
        d.mem.writeLe64(s, zs(4));
        d.mem.writeLe32(s + 8, 8);
        assertThat(d.submit(ro(h, 16), ro(s, 16), wr(st, 1)).status()).isEqualTo(S_ZONE_INVALID_CMD);
        assertThat(state(d, 4)).isEqualTo(ZS_IOPEN);
        assertThat(ids(d)).containsExactly("blk.drv.39");
        // The conventional zone cannot be reset.
        d.mem.writeLe64(s, 0);
        d.mem.writeLe32(s + 8, ZS);
        assertThat(d.submit(ro(h, 16), ro(s, 16), wr(st, 1)).status()).isEqualTo(S_ZONE_INVALID_CMD);
    }

    @Test
    void zoneManagementAddressingRules() {
        TestDriver d = hm();
        assertThat(op(d, T_ZONE_OPEN, zs(2) + 1)).isEqualTo(S_ZONE_INVALID_CMD);
        assertThat(op(d, T_ZONE_RESET_ALL, 5)).isEqualTo(S_OK);
        assertThat(report(d, 8 * ZS, 128).status()).isEqualTo(S_ZONE_INVALID_CMD);
        assertThat(ids(d)).containsExactly("blk.drv.30", "blk.drv.31", "blk.drv.28");
    }

    @Test
    void hostAwareZonesTakeRandomWritesButNoAppends() {
        TestDriver d = zoned(zonedBuilder(ZonedModel.HOST_AWARE).build());
        Report r = report(d, zs(1), 64 + 64);
        assertThat(r.type(0)).isEqualTo(ZT_SWP);
        byte[] data = TestDriver.pattern(512, 4);
        assertThat(d.write(zs(1) + 16, data).status()).isEqualTo(S_OK);
        assertThat(state(d, 1)).isEqualTo(ZS_IOPEN);
        assertThat(wp(d, 1)).isEqualTo(zs(1) + 17);
        assertThat(d.read(zs(1), 512 * 17).data()).isEqualTo(concat(new byte[16 * 512], data));
        assertThat(d.write(zs(1) + 2, data).status()).isEqualTo(S_OK); // behind the write pointer
        assertThat(append(d, zs(2), data)[0]).isEqualTo(S_ZONE_INVALID_CMD); // blk.dev.39
        assertThat(d.read(zs(1) + 250, 4096).status()).isEqualTo(S_OK); // SWP reads may span zones
        assertThat(d.dev.driverViolations()).isEmpty();
    }

    @Test
    void zoneStateSurvivesAVirtioReset() {
        TestDriver d = hm();
        d.write(zs(1), new byte[512]);
        TestDriver again = new TestDriver(d.dev.config());
        assertThat(again.dev.zone(1)[0]).isEqualTo(ZS_EMPTY); // a new device starts empty
        d.w(org.virtiotck.spec.MmioRegister.STATUS, 0);
        assertThat(state(d, 1)).isEqualTo(ZS_IOPEN);
        assertThat(d.dev.status() & DeviceStatus.DRIVER_OK).isZero();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
