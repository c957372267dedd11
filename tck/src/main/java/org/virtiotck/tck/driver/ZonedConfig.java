package org.virtiotck.tck.driver;

import static org.virtiotck.spec.Blk.*;

/** The zoned characteristics of a block device (§5.2.4), as read with ZONED negotiated. */
public record ZonedConfig(int model, long capacity, int zoneSectors, int maxOpen, int maxActive, int maxAppend,
                          int granularity) {

    /** Reads the zoned fields of the configuration space and the capacity through the careful driver. */
    public static ZonedConfig read(BlkDriver d) {
        var m = d.mmio();
        return new ZonedConfig(m.config8(CFG_ZONED_MODEL), d.capacity(), m.config32(CFG_ZONE_SECTORS),
                m.config32(CFG_MAX_OPEN_ZONES), m.config32(CFG_MAX_ACTIVE_ZONES), m.config32(CFG_MAX_APPEND_SECTORS),
                m.config32(CFG_WRITE_GRANULARITY));
    }

    /** The smallest write size that is whole sectors and whole write granules. */
    public int unit() {
        int g = Math.max(granularity, 1);
        int a = SECTOR_SIZE;
        int b = g;
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return SECTOR_SIZE / a * g;
    }

    public int unitSectors() {
        return unit() / SECTOR_SIZE;
    }

    public long zoneCount() {
        return (capacity + zoneSectors - 1) / zoneSectors;
    }
}
