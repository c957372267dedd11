package org.virtiotck.tck.driver;

import static org.virtiotck.spec.Blk.*;

import java.util.ArrayList;
import java.util.List;
import org.virtiotck.spec.FeatureBit;

/**
 * The zoned commands of a block device (VIRTIO_BLK_F_ZONED, §5.2.6) over the careful driver: the feature choice
 * a zoned driver makes, ZONE_REPORT decoding, zone management and ZONE_APPEND. Judging the answers is the
 * suites' job.
 */
public final class ZonedDriver {
    private ZonedDriver() {}

    /** The zoned model (HM, HA or NONE) from the configuration space. */
    public static int model(BlkDriver d) {
        return d.mmio().config8(CFG_ZONED_MODEL);
    }

    /**
     * What a zoned driver accepts once the offer is read: the careful choice plus ZONED (it handles HM, HA and
     * NONE, blk.drv.5), without DISCARD when the model is host-managed (blk.drv.6).
     */
    public static long features(BlkDriver d) {
        long chosen = d.choose(-1L) | FeatureBit.mask(FeatureBit.BLK_ZONED);
        if (model(d) == Z_HM) {
            chosen &= ~FeatureBit.mask(FeatureBit.BLK_DISCARD);
        }
        return chosen;
    }

    /** ZONE_REPORT from {@code sector} with room for {@code descriptors} descriptors and {@code extraBytes}. */
    public static ZoneReport report(BlkDriver d, long sector, int descriptors, int extraBytes) {
        int len = ZONE_REPORT_HEADER_SIZE + descriptors * ZONE_DESCRIPTOR_SIZE + extraBytes;
        Completion c = d.submit(BlkRequest.of(T_ZONE_REPORT, sector, null, len));
        byte[] in = c.in();
        long n = Le.get(in, 0, 8);
        List<Zone> zones = new ArrayList<>();
        if (c.ok()) {
            for (int i = 0; i < Math.min(n, descriptors); i++) {
                int o = ZONE_REPORT_HEADER_SIZE + i * ZONE_DESCRIPTOR_SIZE;
                zones.add(new Zone(Le.get(in, o + ZD_CAP, 8), Le.get(in, o + ZD_START, 8), Le.get(in, o + ZD_WP, 8),
                        in[o + ZD_TYPE] & 0xff, in[o + ZD_STATE] & 0xff));
            }
        }
        return new ZoneReport(c, n, zones);
    }

    /** A zone management request without data (ZONE_OPEN, ZONE_CLOSE, ZONE_FINISH, ZONE_RESET, ZONE_RESET_ALL). */
    public static Completion op(BlkDriver d, int type, long sector) {
        return d.submit(BlkRequest.of(type, sector, null, 0));
    }

    /** ZONE_APPEND of {@code data} to the zone starting at {@code sector}. */
    public static Completion append(BlkDriver d, long sector, byte[] data) {
        return d.submit(BlkRequest.of(T_ZONE_APPEND, sector, data, APPEND_SECTOR_SIZE));
    }
}
