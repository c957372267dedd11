package org.virtiotck.tck.driver;

import org.opentest4j.TestAbortedException;
import org.virtiotck.spec.Blk;
import org.virtiotck.spec.FeatureBit;

/**
 * Refusals a correct device owes the careful driver when the disk is not the plain writable one a test drives: a
 * read-only disk fails every request that changes it (blk.dev.21, blk.dev.22), and a host-managed zoned device
 * refuses FEATURES_OK to a driver that declines VIRTIO_BLK_F_ZONED (blk.dev.8). Such a refusal says the test does
 * not apply to the target, so it SKIPs the test (with the reason) instead of failing it. The tests that judge these
 * refusals themselves opt out with {@link BlkDriver#judgingRefusals()}.
 */
final class DeviceRefusals {
    private DeviceRefusals() {
    }

    /** FEATURES_OK was cleared while {@code declined} (offered, not accepted) holds ZONED on a host-managed disk. */
    static void featuresOkRefused(BlkDriver d, long declined) {
        if (FeatureBit.has(declined, FeatureBit.BLK_ZONED) && d.mmio().config8(Blk.CFG_ZONED_MODEL) == Blk.Z_HM) {
            d.fail();
            throw new TestAbortedException("a host-managed zoned device refuses a driver that declines "
                    + "VIRTIO_BLK_F_ZONED (blk.dev.8), as this test's driver does: the test applies to other disks");
        }
    }

    /** {@code req} completed with IOERR: on a read-only disk that is the answer a request changing it is owed. */
    static void requestFailed(BlkDriver d, BlkRequest req) {
        if (req.writesDisk() && d.offered(FeatureBit.BLK_RO)) {
            throw new TestAbortedException("needs a writable disk: the device offers VIRTIO_BLK_F_RO and failed "
                    + req + " with IOERR, as blk.dev.21 asks of a read-only disk");
        }
    }
}
