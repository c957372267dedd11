package org.virtiotck.fuzz.exec;

import static org.virtiotck.spec.MmioRegister.*;

import org.virtiotck.device.BlockDeviceConfig;
import org.virtiotck.spec.Blk;
import org.virtiotck.spec.FeatureBit;
import org.virtiotck.tck.spi.Target;

/**
 * What the generator and the oracle need to know about a target, probed through its registers after a reset:
 * transport version, offered features, queue count and sizes, disk capacity, and the limits the configuration space
 * gives for DISCARD, WRITE_ZEROES and SECURE_ERASE (null: not probed, the reference's own apply).
 */
public record TargetProfile(boolean legacy, long offeredFeatures, int queues, int queueNumMax, long capacitySectors,
        SegmentLimits limits) {

    /** A profile without segment limits: the mirror keeps the reference's own. */
    public TargetProfile(boolean legacy, long offeredFeatures, int queues, int queueNumMax, long capacitySectors) {
        this(legacy, offeredFeatures, queues, queueNumMax, capacitySectors, null);
    }

    /**
     * The configuration-space limits of the requests that carry segments (§5.2.4: max_discard_sectors and the
     * fields after it), read only for the features the target offers; a field of a feature it does not offer is -1.
     * Whether a segment is within them decides the status (IOERR when num_sectors exceeds the maximum), so the
     * oracle must hold the target's values, not the reference's defaults (QEMU 7.2 allows 4,194,303 sectors).
     */
    public record SegmentLimits(int maxDiscardSectors, int maxDiscardSeg, int discardSectorAlignment,
            int maxWriteZeroesSectors, int maxWriteZeroesSeg, boolean writeZeroesMayUnmap,
            int maxSecureEraseSectors, int maxSecureEraseSeg, int secureEraseSectorAlignment) {

        static SegmentLimits probe(Target t, long offered) {
            boolean discard = FeatureBit.has(offered, FeatureBit.BLK_DISCARD);
            boolean zeroes = FeatureBit.has(offered, FeatureBit.BLK_WRITE_ZEROES);
            boolean erase = FeatureBit.has(offered, FeatureBit.BLK_SECURE_ERASE);
            return new SegmentLimits(field(t, discard, Blk.CFG_MAX_DISCARD_SECTORS),
                    field(t, discard, Blk.CFG_MAX_DISCARD_SEG), field(t, discard, Blk.CFG_DISCARD_SECTOR_ALIGNMENT),
                    field(t, zeroes, Blk.CFG_MAX_WRITE_ZEROES_SECTORS), field(t, zeroes, Blk.CFG_MAX_WRITE_ZEROES_SEG),
                    zeroes && (t.read(CONFIG + Blk.CFG_WRITE_ZEROES_MAY_UNMAP, 1) & 0xff) != 0,
                    field(t, erase, Blk.CFG_MAX_SECURE_ERASE_SECTORS), field(t, erase, Blk.CFG_MAX_SECURE_ERASE_SEG),
                    field(t, erase, Blk.CFG_SECURE_ERASE_SECTOR_ALIGNMENT));
        }

        private static int field(Target t, boolean offered, int offset) {
            return offered ? (int) t.read(CONFIG + offset, 4) : -1;
        }

        /** The limits of the offered features set on {@code b}; the others keep the reference's. */
        BlockDeviceConfig.Builder applyTo(BlockDeviceConfig.Builder b) {
            if (maxDiscardSectors >= 0) {
                b.discardLimits(maxDiscardSectors, maxDiscardSeg, discardSectorAlignment);
            }
            if (maxWriteZeroesSectors >= 0) {
                b.writeZeroesLimits(maxWriteZeroesSectors, maxWriteZeroesSeg, writeZeroesMayUnmap);
            }
            if (maxSecureEraseSectors >= 0) {
                b.secureEraseLimits(maxSecureEraseSectors, maxSecureEraseSeg, secureEraseSectorAlignment);
            }
            return b;
        }
    }

    public static TargetProfile probe(Target t) {
        t.write(STATUS, 4, 0);
        boolean legacy = t.read(VERSION, 4) == VERSION_LEGACY;
        t.write(DEVICE_FEATURES_SEL, 4, 0);
        long lo = t.read(DEVICE_FEATURES, 4) & 0xffffffffL;
        t.write(DEVICE_FEATURES_SEL, 4, 1);
        long hi = legacy ? 0 : t.read(DEVICE_FEATURES, 4) & 0xffffffffL;
        t.write(DEVICE_FEATURES_SEL, 4, 0);
        int queues = 0;
        int max = 0;
        for (int q = 0; q < Executor.MAX_QUEUES; q++) {
            t.write(QUEUE_SEL, 4, q);
            int m = (int) t.read(QUEUE_NUM_MAX, 4);
            if (m == 0) {
                break;
            }
            if (q == 0) {
                max = m;
            }
            queues++;
        }
        t.write(QUEUE_SEL, 4, 0);
        long cap = (t.read(CONFIG, 4) & 0xffffffffL) | (t.read(CONFIG + 4, 4) & 0xffffffffL) << 32;
        SegmentLimits limits = SegmentLimits.probe(t, lo | hi << 32);
        t.write(STATUS, 4, 0);
        return new TargetProfile(legacy, lo | hi << 32, Math.max(queues, 1), max == 0 ? 256 : max, cap, limits);
    }

    public boolean offers(int bit) {
        return FeatureBit.has(offeredFeatures, bit);
    }

    /**
     * A reference-device configuration that mirrors this profile as far as the reference can: same transport, the
     * same offered features (falling back to fewer when the reference cannot offer some), queues, sizes, capacity,
     * segment limits (left out when the reference cannot take them).
     */
    public BlockDeviceConfig mirror() {
        long[] attempts = {offeredFeatures,
                offeredFeatures & (legacy ? BlockDeviceConfig.defaultLegacyFeatures()
                        : BlockDeviceConfig.defaultModernFeatures() | FeatureBit.mask(FeatureBit.BLK_RO)),
                legacy ? BlockDeviceConfig.defaultLegacyFeatures() : BlockDeviceConfig.defaultModernFeatures()};
        IllegalArgumentException last = null;
        for (SegmentLimits l : limits == null ? new SegmentLimits[] {null} : new SegmentLimits[] {limits, null}) {
            for (long f : attempts) {
                try {
                    BlockDeviceConfig.Builder b = BlockDeviceConfig.builder().legacy(legacy).features(f)
                            .queues(queues).queueNumMax(Math.min(queueNumMax, 32768))
                            .capacitySectors(Math.max(capacitySectors, 1));
                    return (l == null ? b : l.applyTo(b)).build();
                } catch (IllegalArgumentException e) {
                    last = e;
                }
            }
        }
        throw last;
    }
}
