package org.virtiotck.device;

import static org.virtiotck.spec.Blk.*;

/**
 * The zones of a zoned {@link ReferenceBlockDevice} (§5.2.4 / §5.2.6 with VIRTIO_BLK_F_ZONED): layout, the
 * per-zone state machine, write pointers and the open/active resource counters. Pure bookkeeping: no guest
 * memory, no backend; {@link ZoneRequestHandler} turns requests into calls here.
 *
 * <p>Zone {@code i} starts at {@code i * zone_sectors}; the last zone may be smaller (blk.dev.10, blk.dev.11). Its
 * capacity (z_cap) is its whole size. The first {@code conventional} zones are CONV (always NOT_WP,
 * blk-desc.dev.15), the rest SWR (host-managed) or SWP (host-aware). Zone state is media state: it survives a
 * virtio reset.
 *
 * <p>Besides the write pointer each sequential zone keeps {@code written}: the end of its valid data. Sectors
 * at or past it are unwritten and read as the fill pattern (blk.dev.56, blk.dev.57). The two differ only for a zone
 * that FINISH made FULL (the skipped sectors stay unwritten).
 *
 * <p>Resources: IOPEN and EOPEN consume an open and an active resource, CLOSED an active one. When an open is
 * needed at the max_open_zones limit, the lowest-numbered IOPEN zone is closed implicitly (blk.dev.53). A
 * transition that would exceed max_active_zones fails with ACTIVE_RESOURCE, also when the open limit is
 * exceeded too (blk-desc.dev.18); otherwise one that exceeds max_open_zones fails with OPEN_RESOURCE.
 *
 * <p>Transitions beyond the list in §5.2.6 that ZBC/ZNS also allow: FINISH of an EMPTY or CLOSED zone makes it
 * FULL (no resources needed). CLOSE of an EMPTY or FULL zone and OPEN of a FULL zone are ZONE_INVALID_CMD.
 */
final class ZonedState {
    /** Bound on the zone count so the bookkeeping arrays stay small. */
    static final int MAX_ZONES = 1 << 20;

    private final ZonedModel model;
    private final long zoneSectors;
    private final int maxOpen;
    private final int maxActive;
    private final int conventional;
    private long capacity;
    private int count;
    private byte[] state;
    private long[] wp;
    private long[] written;
    private int open;
    private int active;

    ZonedState(BlockDeviceConfig c) {
        this.model = c.zonedModel();
        this.zoneSectors = c.zoneSectors();
        this.maxOpen = c.maxOpenZones();
        this.maxActive = c.maxActiveZones();
        this.conventional = c.conventionalZones();
        layout(c.capacitySectors(), null, null, null);
        for (int z : c.readOnlyZones()) {
            state[z] = ZS_RDONLY;
            written[z] = start(z) + size(z); // whatever the medium holds stays readable
        }
        for (int z : c.offlineZones()) {
            state[z] = ZS_OFFLINE;
        }
    }

    private void layout(long capacitySectors, byte[] oldState, long[] oldWp, long[] oldWritten) {
        capacity = capacitySectors;
        count = (int) ((capacitySectors + zoneSectors - 1) / zoneSectors);
        state = new byte[count];
        wp = new long[count];
        written = new long[count];
        for (int z = 0; z < count; z++) {
            long s = start(z);
            if (oldState != null && z < oldState.length) {
                state[z] = oldState[z];
                wp[z] = Math.min(oldWp[z], s + size(z));
                written[z] = Math.min(oldWritten[z], s + size(z));
            } else {
                state[z] = (byte) (z < conventional ? ZS_NOT_WP : ZS_EMPTY);
                wp[z] = s;
                written[z] = s;
            }
            if (isWritable(state[z]) && state[z] != ZS_EMPTY && wp[z] >= s + size(z)) {
                state[z] = ZS_FULL;
            }
        }
        recount();
    }

    /** Host-side capacity change: zones are laid out again; zones that still exist keep their state. */
    void resize(long capacitySectors) {
        if (capacitySectors == 0) {
            throw new IllegalArgumentException("a zoned device needs at least one zone");
        }
        long n = (capacitySectors + zoneSectors - 1) / zoneSectors;
        if (n > MAX_ZONES) {
            throw new IllegalArgumentException("capacity " + capacitySectors + " does not fit the zone layout");
        }
        layout(capacitySectors, state, wp, written);
    }

    private void recount() {
        open = 0;
        active = 0;
        for (int z = 0; z < count; z++) {
            int s = state[z];
            if (s == ZS_IOPEN || s == ZS_EOPEN) {
                open++;
            }
            if (s == ZS_IOPEN || s == ZS_EOPEN || s == ZS_CLOSED) {
                active++;
            }
        }
    }

    // ------------------------------------------------------------------ layout queries

    int count() { return count; }
    long capacity() { return capacity; }

    long start(int z) {
        return z * zoneSectors;
    }

    /** Size and capacity of zone z: zone_sectors, except possibly the last zone. */
    long size(int z) {
        return Math.min(zoneSectors, capacity - start(z));
    }

    /** The zone holding {@code sector} (which must be below capacity). */
    int zoneOf(long sector) {
        return (int) (sector / zoneSectors);
    }

    boolean isZoneStart(long sector) {
        return Long.compareUnsigned(sector, capacity) < 0 && sector % zoneSectors == 0;
    }

    int type(int z) {
        return z < conventional ? ZT_CONV : model.sequentialType();
    }

    boolean sequential(int z) {
        return z >= conventional;
    }

    int state(int z) {
        return state[z];
    }

    /** The write pointer as reported in z_wp: meaningful for EMPTY/IOPEN/EOPEN/CLOSED only. */
    long reportedWp(int z) {
        return switch (state[z]) {
            case ZS_EMPTY, ZS_IOPEN, ZS_EOPEN, ZS_CLOSED -> wp[z];
            case ZS_FULL -> start(z) + size(z);
            default -> -1L; // undefined for CONV, RDONLY and OFFLINE: all ones
        };
    }

    long wp(int z) {
        return wp[z];
    }

    /** End of the valid data in zone z (sectors from here to the zone end are unwritten). */
    long writtenEnd(int z) {
        return sequential(z) ? written[z] : start(z) + size(z);
    }

    private static boolean isWritable(int s) {
        return s == ZS_EMPTY || s == ZS_IOPEN || s == ZS_EOPEN || s == ZS_CLOSED;
    }

    // ------------------------------------------------------------------ state changes

    private void set(int z, int s) {
        state[z] = (byte) s;
        recount();
    }

    /**
     * Makes room for zone {@code z} (EMPTY or CLOSED) to become open: the resource checks of blk.dev.41, blk.dev.45.
     * Returns OK (possibly after implicitly closing another IOPEN zone) or the resource status.
     */
    private int acquireOpen(int z) {
        int s = state[z];
        boolean needActive = s == ZS_EMPTY;
        boolean activeFull = needActive && maxActive > 0 && active >= maxActive;
        boolean openFull = maxOpen > 0 && open >= maxOpen;
        int victim = -1;
        if (openFull) {
            for (int i = conventional; i < count; i++) {
                if (i != z && state[i] == ZS_IOPEN) {
                    victim = i;
                    break;
                }
            }
        }
        if (activeFull) {
            return S_ZONE_ACTIVE_RESOURCE;
        }
        if (openFull && victim < 0) {
            return S_ZONE_OPEN_RESOURCE;
        }
        if (openFull) {
            set(victim, ZS_CLOSED); // blk.dev.53: implicit close to free an open resource
        }
        return S_OK;
    }

    /** ZONE_OPEN of zone z (a zone start): blk.dev.38, blk.dev.40, blk.dev.41, blk-desc.dev.16. */
    int open(int z) {
        if (!sequential(z)) {
            return S_ZONE_INVALID_CMD;
        }
        return switch (state[z]) {
            case ZS_EOPEN -> S_OK;
            case ZS_IOPEN -> moveTo(z, ZS_EOPEN);
            case ZS_EMPTY, ZS_CLOSED -> {
                int r = acquireOpen(z);
                yield r == S_OK ? moveTo(z, ZS_EOPEN) : r;
            }
            default -> S_ZONE_INVALID_CMD; // FULL, RDONLY, OFFLINE
        };
    }

    /** ZONE_CLOSE: blk.dev.38, blk.dev.42, blk-desc.dev.16. An open zone with nothing written goes back to EMPTY. */
    int close(int z) {
        if (!sequential(z)) {
            return S_ZONE_INVALID_CMD;
        }
        return switch (state[z]) {
            case ZS_CLOSED -> S_OK;
            case ZS_IOPEN, ZS_EOPEN -> moveTo(z, wp[z] == start(z) ? ZS_EMPTY : ZS_CLOSED);
            default -> S_ZONE_INVALID_CMD; // EMPTY, FULL, RDONLY, OFFLINE
        };
    }

    /** ZONE_FINISH: blk.dev.38, blk.dev.43, blk-desc.dev.16. Sectors past the old write pointer stay unwritten. */
    int finish(int z) {
        if (!sequential(z)) {
            return S_ZONE_INVALID_CMD;
        }
        return switch (state[z]) {
            case ZS_FULL -> S_OK;
            case ZS_EMPTY, ZS_IOPEN, ZS_EOPEN, ZS_CLOSED -> {
                wp[z] = start(z) + size(z);
                yield moveTo(z, ZS_FULL);
            }
            default -> S_ZONE_INVALID_CMD; // RDONLY, OFFLINE
        };
    }

    /** A management command that succeeds: zone {@code z} enters {@code next}. */
    private int moveTo(int z, int next) {
        set(z, next);
        return S_OK;
    }

    /** ZONE_RESET: blk.dev.38, blk.dev.44, blk-desc.dev.16. */
    int reset(int z) {
        if (!sequential(z)) {
            return S_ZONE_INVALID_CMD;
        }
        int s = state[z];
        if (s == ZS_RDONLY || s == ZS_OFFLINE) {
            return S_ZONE_INVALID_CMD;
        }
        wp[z] = start(z);
        written[z] = start(z);
        if (s != ZS_EMPTY) {
            set(z, ZS_EMPTY);
        }
        return S_OK;
    }

    /** Whether {@link #reset} would succeed (SECURE_ERASE validates every zone first). */
    boolean resettable(int z) {
        return sequential(z) && state[z] != ZS_RDONLY && state[z] != ZS_OFFLINE;
    }

    /** ZONE_RESET_ALL: every sequential zone in IOPEN/EOPEN/CLOSED/FULL becomes EMPTY (blk-desc.dev.17). */
    void resetAll() {
        for (int z = conventional; z < count; z++) {
            int s = state[z];
            if (s == ZS_IOPEN || s == ZS_EOPEN || s == ZS_CLOSED || s == ZS_FULL) {
                wp[z] = start(z);
                written[z] = start(z);
                state[z] = ZS_EMPTY;
            }
        }
        recount();
    }

    /**
     * Before writing {@code sectors} (> 0) to sequential zone z: an EMPTY or CLOSED zone is opened implicitly
     * (blk.dev.45). Returns OK or the resource status; the caller has already checked the zone is writable
     * and the range fits.
     */
    int beginWrite(int z) {
        int s = state[z];
        if (s == ZS_EMPTY || s == ZS_CLOSED) {
            int r = acquireOpen(z);
            if (r != S_OK) {
                return r;
            }
            set(z, ZS_IOPEN);
        }
        return S_OK;
    }

    /** After a write of [sector, end) to sequential zone z: the write pointer moves; a filled zone is FULL. */
    void endWrite(int z, long end) {
        wp[z] = Math.max(wp[z], end);
        written[z] = Math.max(written[z], end);
        if (wp[z] >= start(z) + size(z)) {
            set(z, ZS_FULL);
        }
    }

    /**
     * A write by a driver that did not negotiate ZONED (host-aware only, treated as a plain disk): the data
     * counts as written and the write pointer follows, with no resource checks. An EMPTY zone becomes CLOSED.
     * A FULL zone takes the data too (a zone FINISH made FULL may still have unwritten sectors, which would
     * otherwise read as the fill pattern after an OK write); READ_ONLY and OFFLINE zones never get here (the
     * plain OUT and the range requests refuse them).
     */
    void noteUnzonedWrite(long sector, long sectors) {
        if (sectors <= 0) {
            return;
        }
        long end = sector + sectors;
        for (int z = zoneOf(sector); z < count && start(z) < end; z++) {
            if (!sequential(z) || !isWritable(state[z]) && state[z] != ZS_FULL) {
                continue;
            }
            long zEnd = Math.min(end, start(z) + size(z));
            wp[z] = Math.max(wp[z], zEnd);
            written[z] = Math.max(written[z], zEnd);
            if (wp[z] >= start(z) + size(z)) {
                state[z] = ZS_FULL;
            } else if (state[z] == ZS_EMPTY) {
                state[z] = ZS_CLOSED;
            }
        }
        recount();
    }

    /** Whether any zone overlapping [sector, sector+sectors) is in {@code s}. */
    boolean anyInState(long sector, long sectors, int s) {
        long end = sector + Math.max(sectors, 1);
        for (int z = zoneOf(sector); z < count && start(z) < end; z++) {
            if (state[z] == s) {
                return true;
            }
        }
        return false;
    }

    /** Whether [sector, sector+sectors) touches more than one zone. */
    boolean crossesZones(long sector, long sectors) {
        return sectors > 0 && zoneOf(sector) != zoneOf(sector + sectors - 1);
    }

    /** Whether any zone overlapping the range has type {@code type}. */
    boolean anyOfType(long sector, long sectors, int type) {
        long end = sector + Math.max(sectors, 1);
        for (int z = zoneOf(sector); z < count && start(z) < end; z++) {
            if (type(z) == type) {
                return true;
            }
        }
        return false;
    }

    /**
     * Zeroes the unwritten parts (blk.dev.56, blk.dev.57: the fill pattern is zeros) of {@code n} bytes that were read
     * from byte offset {@code pos} into {@code buf[off..]}.
     */
    void maskUnwritten(long pos, byte[] buf, int off, int n) {
        long end = pos + n;
        for (int z = zoneOf(pos / SECTOR_SIZE); z < count && start(z) * SECTOR_SIZE < end; z++) {
            long from = Math.max(pos, writtenEnd(z) * SECTOR_SIZE);
            long to = Math.min(end, (start(z) + size(z)) * SECTOR_SIZE);
            if (from < to) {
                java.util.Arrays.fill(buf, off + (int) (from - pos), off + (int) (to - pos), (byte) 0);
            }
        }
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("ZonedState[" + model + ", open " + open + ", active " + active);
        for (int z = 0; z < count; z++) {
            b.append(", ").append(z).append(':').append(zoneStateName(state[z]));
            if (isWritable(state[z])) {
                b.append("@").append(wp[z]);
            }
        }
        return b.append(']').toString();
    }
}
