package org.virtiotck.device;

import static org.virtiotck.spec.Blk.*;

/**
 * Request semantics of a zoned device with VIRTIO_BLK_F_ZONED negotiated (§5.2.6): IN and OUT against the
 * zone layout, ZONE_APPEND, ZONE_REPORT, the zone management requests and the zoned meaning of SECURE_ERASE.
 * {@link BlockRequestHandler} frames every request and calls in here; {@link ZonedState} holds the zones;
 * driver-side rules are recorded by {@link ZonedDriverRules}.
 *
 * <p>Order of checks (first failure wins): UNSUPP for ZONE_APPEND when max_append_sectors is 0 (blk.dev.49);
 * IOERR for what a non-zoned device also refuses (read-only device, range past capacity, lengths that are not
 * whole sectors, no room for append_sector); then ZONE_INVALID_CMD for bad zone addressing, OFFLINE zones
 * (blk.dev.55), wrong zone type (blk.dev.38, blk.dev.39), READ_ONLY targets (blk.dev.54), appends above
 * max_append_sectors (blk.dev.50), ranges spanning zones (blk.dev.51) or past the writable capacity
 * (blk.dev.47); ZONE_UNALIGNED_WP for write_granularity misalignment (blk.dev.17) and OUT off the write pointer
 * of an SWR zone (blk.dev.52); the resource statuses of an implicit open (blk.dev.45) last.
 */
final class ZoneRequestHandler {
    private final BlockRequestHandler io;
    private final MmioTransport t;
    final ZonedState zones;
    /** The driver rules of zoned requests, recorded through the transport's checker. */
    final ZonedDriverRules rules;
    private final int granularity;
    private final int maxAppend;

    ZoneRequestHandler(BlockRequestHandler io, MmioTransport t, ZonedState zones) {
        this.io = io;
        this.t = t;
        this.zones = zones;
        this.rules = new ZonedDriverRules(t.checker, zones, t.config);
        this.granularity = t.config.writeGranularity();
        this.maxAppend = t.config.maxAppendSectors();
    }

    /** The zone request types (ZONED negotiated): append, report and the management requests. */
    int handle(DescriptorChain c, int type, long sector, long dataOut, long dataIn) {
        rules.request(type, sector, dataOut);
        return switch (type) {
            case T_ZONE_APPEND -> append(c, sector, dataOut, dataIn);
            case T_ZONE_REPORT -> report(c, sector, dataIn);
            case T_ZONE_RESET_ALL -> {
                if (t.config.readOnly()) {
                    yield S_IOERR;
                }
                zones.resetAll();
                yield S_OK;
            }
            default -> manage(type, sector);
        };
    }

    private boolean inCapacity(long sector) {
        return Long.compareUnsigned(sector, zones.capacity()) < 0;
    }

    // ------------------------------------------------------------------ management

    private int manage(int type, long sector) {
        if (t.config.readOnly()) {
            return S_IOERR; // our choice: zone management changes the medium, like a write
        }
        if (!zones.isZoneStart(sector)) {
            return S_ZONE_INVALID_CMD; // no such zone sector address (blk.drv.30 recorded)
        }
        int z = zones.zoneOf(sector);
        return switch (type) {
            case T_ZONE_OPEN -> zones.open(z);
            case T_ZONE_CLOSE -> zones.close(z);
            case T_ZONE_FINISH -> zones.finish(z);
            case T_ZONE_RESET -> zones.reset(z);
            default -> S_UNSUPP;
        };
    }

    // ------------------------------------------------------------------ report

    private int report(DescriptorChain c, long sector, long dataIn) {
        if (!inCapacity(sector)) {
            return S_ZONE_INVALID_CMD; // blk.drv.28 recorded: no zone holds that sector
        }
        if (dataIn < ZONE_REPORT_HEADER_SIZE) {
            return S_IOERR; // no room for the report header
        }
        int first = zones.zoneOf(sector);
        long room = (dataIn - ZONE_REPORT_HEADER_SIZE) / ZONE_DESCRIPTOR_SIZE;
        int n = (int) Math.min(room, zones.count() - first);
        byte[] b = new byte[ZONE_REPORT_HEADER_SIZE];
        putLe64(b, 0, n); // nr_zones: whole descriptors transferred (blk-desc.dev.14)
        c.write(t.memory, b, 0, b.length);
        for (int i = 0; i < n; i++) {
            int z = first + i;
            java.util.Arrays.fill(b, (byte) 0);
            putLe64(b, ZD_CAP, zones.size(z));
            putLe64(b, ZD_START, zones.start(z));
            putLe64(b, ZD_WP, zones.reportedWp(z));
            b[ZD_TYPE] = (byte) zones.type(z);
            b[ZD_STATE] = (byte) zones.state(z);
            c.write(t.memory, b, 0, b.length);
        }
        io.produced = ZONE_REPORT_HEADER_SIZE + (long) n * ZONE_DESCRIPTOR_SIZE;
        return S_OK;
    }

    // ------------------------------------------------------------------ append

    private int append(DescriptorChain c, long sector, long dataOut, long dataIn) {
        if (maxAppend == 0) {
            return S_UNSUPP; // blk.dev.16, blk.dev.49: ZONE_APPEND not supported
        }
        if (dataIn < APPEND_SECTOR_SIZE) {
            return S_IOERR; // no room for append_sector before the status byte
        }
        if (t.config.readOnly()) {
            return S_IOERR;
        }
        if (dataOut % SECTOR_SIZE != 0) {
            return S_ZONE_UNALIGNED_WP; // not whole sectors, so never a multiple of write_granularity
        }
        if (!zones.isZoneStart(sector)) {
            return S_ZONE_INVALID_CMD; // blk.dev.46
        }
        int z = zones.zoneOf(sector);
        int state = zones.state(z);
        if (state == ZS_OFFLINE) {
            return S_ZONE_INVALID_CMD; // blk.dev.55
        }
        if (zones.type(z) != ZT_SWR) {
            return S_ZONE_INVALID_CMD; // blk.dev.39
        }
        if (state == ZS_RDONLY) {
            return S_ZONE_INVALID_CMD; // blk.dev.54
        }
        long sectors = dataOut / SECTOR_SIZE;
        if (sectors > maxAppend) {
            return S_ZONE_INVALID_CMD; // blk.dev.50
        }
        if (dataOut % granularity != 0) {
            return S_ZONE_UNALIGNED_WP; // blk.dev.17
        }
        long zoneEnd = zones.start(z) + zones.size(z);
        if (state == ZS_FULL || zones.wp(z) + sectors > zoneEnd) {
            return S_ZONE_INVALID_CMD; // blk.dev.47, blk.dev.51
        }
        long at = zones.wp(z);
        if (sectors > 0) {
            int r = zones.beginWrite(z);
            if (r != S_OK) {
                return r; // blk.dev.45
            }
            io.writeToDisk(c, at * SECTOR_SIZE, dataOut);
            zones.endWrite(z, at + sectors);
        }
        // append_sector is the last 8 bytes before the status byte (struct virtio_blk_req_za, blk.dev.48).
        long pad = dataIn - APPEND_SECTOR_SIZE;
        if (pad > 0) {
            c.fill(t.memory, pad, (byte) 0);
        }
        byte[] b = new byte[APPEND_SECTOR_SIZE];
        putLe64(b, 0, at);
        c.write(t.memory, b, 0, b.length);
        io.produced = dataIn;
        return S_OK;
    }

    // ------------------------------------------------------------------ IN / OUT

    /** IN with ZONED: OFFLINE zones fail, reads spanning an SWR zone boundary fail, unwritten data reads 0. */
    int in(DescriptorChain c, long sector, long len) {
        if (!io.checkReadWrite("IN", sector, len)) {
            return S_IOERR;
        }
        long sectors = len / SECTOR_SIZE;
        if (zones.anyInState(sector, sectors, ZS_OFFLINE)) {
            return S_ZONE_INVALID_CMD; // blk.dev.55: every request, also one without data
        }
        if (sectors == 0) {
            return S_OK;
        }
        if (zones.crossesZones(sector, sectors) && zones.anyOfType(sector, sectors, ZT_SWR)) {
            return S_ZONE_INVALID_CMD; // blk.dev.51
        }
        io.readFromDisk(c, sector * SECTOR_SIZE, len);
        return S_OK;
    }

    /** OUT with ZONED: conventional zones behave as a plain disk; sequential zones follow the write pointer. */
    int out(DescriptorChain c, long sector, long len) {
        if (t.config.readOnly()) {
            return S_IOERR; // blk.dev.21, blk.dev.22
        }
        if (!io.checkReadWrite("OUT", sector, len)) {
            return S_IOERR;
        }
        rules.request(T_OUT, sector, len);
        long sectors = len / SECTOR_SIZE;
        if (zones.anyInState(sector, sectors, ZS_OFFLINE)) {
            return S_ZONE_INVALID_CMD; // blk.dev.55: every request, also one without data
        }
        if (zones.anyInState(sector, sectors, ZS_RDONLY)) {
            return S_ZONE_INVALID_CMD; // blk.dev.54: every OUT, also one without data
        }
        if (sectors == 0) {
            return S_OK;
        }
        int z = zones.zoneOf(sector);
        boolean crosses = zones.crossesZones(sector, sectors);
        if (!zones.sequential(z) && !crosses) {
            io.writeToDisk(c, sector * SECTOR_SIZE, len); // conventional: a regular disk
            return S_OK;
        }
        if (crosses) {
            return S_ZONE_INVALID_CMD; // blk.dev.51 (into or out of a sequential zone), blk.dev.47
        }
        if ((sector * SECTOR_SIZE) % granularity != 0 || len % granularity != 0) {
            return S_ZONE_UNALIGNED_WP; // blk.dev.17
        }
        int state = zones.state(z);
        long zoneEnd = zones.start(z) + zones.size(z);
        if (state == ZS_FULL) {
            return S_ZONE_INVALID_CMD; // no writable capacity left (blk.dev.47)
        }
        boolean swr = zones.type(z) == ZT_SWR;
        if (swr && sector != zones.wp(z)) {
            return S_ZONE_UNALIGNED_WP; // blk.dev.52
        }
        if (sector + sectors > zoneEnd) {
            return S_ZONE_INVALID_CMD; // blk.dev.47 (cannot happen without crossing; kept for clarity)
        }
        int r = zones.beginWrite(z);
        if (r != S_OK) {
            return r; // blk.dev.45
        }
        long gapFrom = zones.writtenEnd(z);
        if (sector > gapFrom) {
            // SWP random write past the valid data: the skipped sectors must keep reading as fill.
            io.backend().writeZeroes(gapFrom * SECTOR_SIZE, (sector - gapFrom) * SECTOR_SIZE);
        }
        io.writeToDisk(c, sector * SECTOR_SIZE, len);
        zones.endWrite(z, sector + sectors);
        return S_OK;
    }

    // ------------------------------------------------------------------ ranges (DISCARD, WRITE_ZEROES, SECURE_ERASE)

    /**
     * Zoned meaning of a validated segment list. SECURE_ERASE resets every zone it covers, like ZONE_RESET
     * (blk.dev.59), and so needs whole resettable zones; DISCARD and WRITE_ZEROES, on which §5.2.6 is
     * silent, are limited to conventional zones. Returns OK or ZONE_INVALID_CMD, changing nothing on failure.
     */
    int checkSegment(int type, long sector, long sectors) {
        if (sectors == 0) {
            return S_OK;
        }
        if (type != T_SECURE_ERASE) {
            for (int z = zones.zoneOf(sector); z < zones.count() && zones.start(z) < sector + sectors; z++) {
                if (zones.sequential(z)) {
                    return S_ZONE_INVALID_CMD;
                }
            }
            return S_OK;
        }
        long end = sector + sectors;
        boolean endsOnZone = end == zones.capacity() || end % t.config.zoneSectors() == 0;
        if (!zones.isZoneStart(sector) || !endsOnZone) {
            return S_ZONE_INVALID_CMD; // blk.drv.39 recorded
        }
        for (int z = zones.zoneOf(sector); z < zones.count() && zones.start(z) < end; z++) {
            if (!zones.resettable(z)) {
                return S_ZONE_INVALID_CMD; // as ZONE_RESET would (blk.dev.38, blk.dev.44)
            }
        }
        return S_OK;
    }

    /** Executes a SECURE_ERASE segment checked by {@link #checkSegment}: reset every zone and erase its data. */
    void secureErase(long sector, long sectors) {
        long end = sector + sectors;
        for (int z = zones.zoneOf(sector); z < zones.count() && zones.start(z) < end; z++) {
            zones.reset(z);
        }
        io.backend().writeZeroes(sector * SECTOR_SIZE, sectors * SECTOR_SIZE);
    }

    private static void putLe64(byte[] b, int o, long v) {
        for (int i = 0; i < 8; i++) {
            b[o + i] = (byte) (v >>> (8 * i));
        }
    }
}
