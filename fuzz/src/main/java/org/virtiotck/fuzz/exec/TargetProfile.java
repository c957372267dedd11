package org.virtiotck.fuzz.exec;

import static org.virtiotck.spec.MmioRegister.*;

import org.virtiotck.device.BlockDeviceConfig;
import org.virtiotck.spec.FeatureBit;
import org.virtiotck.tck.spi.Target;

/**
 * What the generator and the oracle need to know about a target, probed through its registers after a reset:
 * transport version, offered features, queue count and sizes, disk capacity.
 */
public record TargetProfile(boolean legacy, long offeredFeatures, int queues, int queueNumMax, long capacitySectors) {

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
        t.write(STATUS, 4, 0);
        return new TargetProfile(legacy, lo | hi << 32, Math.max(queues, 1), max == 0 ? 256 : max, cap);
    }

    public boolean offers(int bit) {
        return FeatureBit.has(offeredFeatures, bit);
    }

    /**
     * A reference-device configuration that mirrors this profile as far as the reference can: same transport, the
     * same offered features (falling back to fewer when the reference cannot offer some), queues, sizes, capacity.
     */
    public BlockDeviceConfig mirror() {
        long[] attempts = {offeredFeatures,
                offeredFeatures & (legacy ? BlockDeviceConfig.defaultLegacyFeatures()
                        : BlockDeviceConfig.defaultModernFeatures() | FeatureBit.mask(FeatureBit.BLK_RO)),
                legacy ? BlockDeviceConfig.defaultLegacyFeatures() : BlockDeviceConfig.defaultModernFeatures()};
        IllegalArgumentException last = null;
        for (long f : attempts) {
            try {
                return BlockDeviceConfig.builder().legacy(legacy).features(f).queues(queues)
                        .queueNumMax(Math.min(queueNumMax, 32768)).capacitySectors(Math.max(capacitySectors, 1))
                        .build();
            } catch (IllegalArgumentException e) {
                last = e;
            }
        }
        throw last;
    }
}
