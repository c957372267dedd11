package org.virtiotck.device;

import org.virtiotck.spec.Blk;

/**
 * The driver rules of zoned requests (§5.2.6.1), checked by the zoned handler against its zones and recorded
 * through the {@link DriverRuleChecker}. Like the checker, nothing here changes what the device does.
 */
record ZonedDriverRules(DriverRuleChecker checker, ZonedState zones, BlockDeviceConfig cfg) {

    /**
     * The driver rules of §5.2.6.1 for zoned requests: zone addressing (blk.drv.28, blk.drv.30, blk.drv.31,
     * blk.drv.32), ZONE_APPEND size (blk.drv.33, blk.drv.34) and, for ZONE_APPEND and OUT to a sequential zone,
     * write_granularity alignment (blk.drv.36, blk.drv.37) and the writable capacity from the write pointer
     * (blk.drv.38). {@code dataOut} is the request's data length in bytes.
     */
    void request(int type, long sector, long dataOut) {
        String name = Blk.typeName(type);
        String at = " sector " + Long.toUnsignedString(sector);
        boolean inside = Long.compareUnsigned(sector, zones.capacity()) < 0;
        switch (type) {
            case Blk.T_ZONE_REPORT -> {
                if (!inside) {
                    checker.record("blk.drv.28", "ZONE_REPORT" + at + " is not inside any zone (capacity "
                            + zones.capacity() + ")");
                }
                return;
            }
            case Blk.T_ZONE_OPEN, Blk.T_ZONE_CLOSE, Blk.T_ZONE_FINISH, Blk.T_ZONE_RESET -> {
                if (!zones.isZoneStart(sector)) {
                    checker.record("blk.drv.30", name + at + " is not the first sector of a zone");
                }
                return;
            }
            case Blk.T_ZONE_RESET_ALL -> {
                if (sector != 0) {
                    checker.record("blk.drv.31", "ZONE_RESET_ALL" + at + " (must be 0); served");
                }
                return;
            }
            case Blk.T_ZONE_APPEND -> {
                if (!zones.isZoneStart(sector)) {
                    checker.record("blk.drv.32", "ZONE_APPEND" + at + " is not the start of a zone");
                }
                if (dataOut % cfg.writeGranularity() != 0) {
                    checker.record("blk.drv.33", "ZONE_APPEND of " + dataOut + " bytes is not a multiple of "
                            + "write_granularity " + cfg.writeGranularity());
                }
                if (dataOut > (long) cfg.maxAppendSectors() * Blk.SECTOR_SIZE) {
                    checker.record("blk.drv.34", "ZONE_APPEND of " + dataOut + " bytes exceeds max_append_sectors "
                            + cfg.maxAppendSectors());
                }
                if (zones.isZoneStart(sector) && zones.sequential(zones.zoneOf(sector))) {
                    writableCapacity(name, zones.zoneOf(sector), dataOut);
                }
                return;
            }
            case Blk.T_OUT -> {
                if (!inside || dataOut == 0 || !zones.sequential(zones.zoneOf(sector))) {
                    return;
                }
                int z = zones.zoneOf(sector);
                if (dataOut % cfg.writeGranularity() != 0) {
                    checker.record("blk.drv.36", "OUT of " + dataOut + " bytes to sequential zone " + z
                            + " is not a multiple of write_granularity " + cfg.writeGranularity());
                }
                if ((sector * Blk.SECTOR_SIZE) % cfg.writeGranularity() != 0) {
                    checker.record("blk.drv.37", "OUT" + at + " to sequential zone " + z + " is not aligned to "
                            + "write_granularity " + cfg.writeGranularity());
                }
                long end = Math.max(zones.wp(z), sector) + dataOut / Blk.SECTOR_SIZE;
                if (!writableState(zones.state(z)) || end > zones.start(z) + zones.size(z)) {
                    checker.record("blk.drv.38", "OUT of " + dataOut / Blk.SECTOR_SIZE + " sectors" + at
                            + " runs past the writable capacity of zone " + z + " ("
                            + Blk.zoneStateName(zones.state(z)) + ", wp " + zones.wp(z) + ")");
                }
                return;
            }
            default -> {
            }
        }
    }

    private void writableCapacity(String name, int z, long bytes) {
        long sectors = bytes / Blk.SECTOR_SIZE;
        if (sectors > 0 && (!writableState(zones.state(z)) || zones.wp(z) + sectors > zones.start(z) + zones.size(z))) {
            checker.record("blk.drv.38", name + " of " + sectors + " sectors runs past the writable capacity of zone "
                    + z + " (" + Blk.zoneStateName(zones.state(z)) + ", wp " + zones.wp(z) + ")");
        }
    }

    private static boolean writableState(int s) {
        return s == Blk.ZS_EMPTY || s == Blk.ZS_IOPEN || s == Blk.ZS_EOPEN || s == Blk.ZS_CLOSED;
    }

    /** blk.drv.39: with ZONED (and SECURE_ERASE) negotiated, erase sizes are whole zones (the last may be short). */
    void secureErase(long index, long sector, long sectors, long capacity) {
        long zs = cfg.zoneSectors();
        boolean endsAtCapacity = sector + sectors == capacity;
        if (sectors % zs != 0 && !endsAtCapacity) {
            checker.record("blk.drv.39", "SECURE_ERASE segment " + index + " covers " + sectors
                    + " sectors, not a multiple of zone_sectors " + zs);
        }
    }
}
