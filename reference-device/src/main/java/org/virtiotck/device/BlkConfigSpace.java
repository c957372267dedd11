package org.virtiotck.device;

import static org.virtiotck.spec.Blk.*;
import static org.virtiotck.spec.FeatureBit.*;

/**
 * {@code struct virtio_blk_config} (§5.2.4) as little-endian bytes, plus a per-byte field map used for the
 * driver's access-width rule (mmio.drv.5) and the feature gating of optional fields (config.drv.3).
 *
 * <p>Fields whose feature is not offered read 0, and all padding reads 0 (unused2 too, blk.dev.18). The zoned
 * fields of a zoned device read their values from reset until FEATURES_OK; if the driver then did not take
 * ZONED (host-aware: the device goes on as a plain disk) they read 0 (blk.dev.7) until the next reset.
 * Every field is readable before FEATURES_OK (config.dev.1); only {@code writeback} is driver-writable.
 */
final class BlkConfigSpace {
    private static final String[] NAME = new String[CONFIG_SIZE];
    /** The width a driver must use for the field holding each byte (mmio.drv.5): 1, 2 or 4. */
    private static final byte[] ACCESS = new byte[CONFIG_SIZE];
    /** Feature bit gating each byte, or -1. */
    private static final byte[] GATE = new byte[CONFIG_SIZE];

    static {
        field(CFG_CAPACITY, 8, 4, -1, "capacity");
        field(CFG_SIZE_MAX, 4, 4, BLK_SIZE_MAX, "size_max");
        field(CFG_SEG_MAX, 4, 4, BLK_SEG_MAX, "seg_max");
        field(CFG_GEOMETRY_CYLINDERS, 2, 2, BLK_GEOMETRY, "geometry.cylinders");
        field(CFG_GEOMETRY_HEADS, 1, 1, BLK_GEOMETRY, "geometry.heads");
        field(CFG_GEOMETRY_SECTORS, 1, 1, BLK_GEOMETRY, "geometry.sectors");
        field(CFG_BLK_SIZE, 4, 4, BLK_BLK_SIZE, "blk_size");
        field(CFG_PHYSICAL_BLOCK_EXP, 1, 1, BLK_TOPOLOGY, "topology.physical_block_exp");
        field(CFG_ALIGNMENT_OFFSET, 1, 1, BLK_TOPOLOGY, "topology.alignment_offset");
        field(CFG_MIN_IO_SIZE, 2, 2, BLK_TOPOLOGY, "topology.min_io_size");
        field(CFG_OPT_IO_SIZE, 4, 4, BLK_TOPOLOGY, "topology.opt_io_size");
        field(CFG_WRITEBACK, 1, 1, BLK_CONFIG_WCE, "writeback");
        field(CFG_UNUSED0, 1, 1, -1, "unused0");
        field(CFG_NUM_QUEUES, 2, 2, BLK_MQ, "num_queues");
        field(CFG_MAX_DISCARD_SECTORS, 4, 4, BLK_DISCARD, "max_discard_sectors");
        field(CFG_MAX_DISCARD_SEG, 4, 4, BLK_DISCARD, "max_discard_seg");
        field(CFG_DISCARD_SECTOR_ALIGNMENT, 4, 4, BLK_DISCARD, "discard_sector_alignment");
        field(CFG_MAX_WRITE_ZEROES_SECTORS, 4, 4, BLK_WRITE_ZEROES, "max_write_zeroes_sectors");
        field(CFG_MAX_WRITE_ZEROES_SEG, 4, 4, BLK_WRITE_ZEROES, "max_write_zeroes_seg");
        field(CFG_WRITE_ZEROES_MAY_UNMAP, 1, 1, BLK_WRITE_ZEROES, "write_zeroes_may_unmap");
        field(CFG_UNUSED1, 3, 1, -1, "unused1");
        field(CFG_MAX_SECURE_ERASE_SECTORS, 4, 4, BLK_SECURE_ERASE, "max_secure_erase_sectors");
        field(CFG_MAX_SECURE_ERASE_SEG, 4, 4, BLK_SECURE_ERASE, "max_secure_erase_seg");
        field(CFG_SECURE_ERASE_SECTOR_ALIGNMENT, 4, 4, BLK_SECURE_ERASE, "secure_erase_sector_alignment");
        field(CFG_ZONE_SECTORS, 4, 4, BLK_ZONED, "zoned.zone_sectors");
        field(CFG_MAX_OPEN_ZONES, 4, 4, BLK_ZONED, "zoned.max_open_zones");
        field(CFG_MAX_ACTIVE_ZONES, 4, 4, BLK_ZONED, "zoned.max_active_zones");
        field(CFG_MAX_APPEND_SECTORS, 4, 4, BLK_ZONED, "zoned.max_append_sectors");
        field(CFG_WRITE_GRANULARITY, 4, 4, BLK_ZONED, "zoned.write_granularity");
        field(CFG_ZONED_MODEL, 1, 1, BLK_ZONED, "zoned.model");
        field(CFG_UNUSED2, 3, 1, -1, "zoned.unused2");
    }

    private static void field(int offset, int size, int access, int gate, String name) {
        for (int i = offset; i < offset + size; i++) {
            NAME[i] = name;
            ACCESS[i] = (byte) access;
            GATE[i] = (byte) gate;
        }
    }

    private final byte[] bytes = new byte[CONFIG_SIZE];
    private final long offered;
    private final BlockDeviceConfig config;

    BlkConfigSpace(BlockDeviceConfig c) {
        offered = c.offeredFeatures();
        config = c;
        putLe64(CFG_CAPACITY, c.capacitySectors());
        if (c.offers(BLK_SIZE_MAX)) {
            putLe32(CFG_SIZE_MAX, c.sizeMax());
        }
        if (c.offers(BLK_SEG_MAX)) {
            putLe32(CFG_SEG_MAX, c.segMax());
        }
        if (c.offers(BLK_GEOMETRY)) {
            putLe16(CFG_GEOMETRY_CYLINDERS, c.geometryCylinders());
            bytes[CFG_GEOMETRY_HEADS] = (byte) c.geometryHeads();
            bytes[CFG_GEOMETRY_SECTORS] = (byte) c.geometrySectors();
        }
        if (c.offers(BLK_BLK_SIZE)) {
            putLe32(CFG_BLK_SIZE, c.blkSize());
        }
        if (c.offers(BLK_TOPOLOGY)) {
            bytes[CFG_PHYSICAL_BLOCK_EXP] = (byte) c.physicalBlockExp();
            bytes[CFG_ALIGNMENT_OFFSET] = (byte) c.alignmentOffset();
            putLe16(CFG_MIN_IO_SIZE, c.minIoSize());
            putLe32(CFG_OPT_IO_SIZE, c.optIoSize());
        }
        if (c.offers(BLK_MQ)) {
            putLe16(CFG_NUM_QUEUES, c.numQueues());
        }
        if (c.offers(BLK_DISCARD)) {
            putLe32(CFG_MAX_DISCARD_SECTORS, c.maxDiscardSectors());
            putLe32(CFG_MAX_DISCARD_SEG, c.maxDiscardSeg());
            putLe32(CFG_DISCARD_SECTOR_ALIGNMENT, c.discardSectorAlignment());
        }
        if (c.offers(BLK_WRITE_ZEROES)) {
            putLe32(CFG_MAX_WRITE_ZEROES_SECTORS, c.maxWriteZeroesSectors());
            putLe32(CFG_MAX_WRITE_ZEROES_SEG, c.maxWriteZeroesSeg());
            bytes[CFG_WRITE_ZEROES_MAY_UNMAP] = (byte) (c.writeZeroesMayUnmap() ? 1 : 0);
        }
        if (c.offers(BLK_SECURE_ERASE)) {
            putLe32(CFG_MAX_SECURE_ERASE_SECTORS, c.maxSecureEraseSectors());
            putLe32(CFG_MAX_SECURE_ERASE_SEG, c.maxSecureEraseSeg());
            putLe32(CFG_SECURE_ERASE_SECTOR_ALIGNMENT, c.secureEraseSectorAlignment());
        }
        setWriteback(c.writebackDefault() ? 1 : 0);
        setZonedVisible(true);
    }

    /**
     * Publishes the zoned characteristics (ZONED offered) or zeroes them (blk.dev.7). Returns whether any byte
     * changed, so the caller can bump ConfigGeneration.
     */
    boolean setZonedVisible(boolean visible) {
        if (!has(offered, BLK_ZONED)) {
            return false;
        }
        byte[] before = java.util.Arrays.copyOfRange(bytes, CFG_ZONE_SECTORS, CONFIG_SIZE);
        boolean on = visible;
        putLe32(CFG_ZONE_SECTORS, on ? config.zoneSectors() : 0);
        putLe32(CFG_MAX_OPEN_ZONES, on ? config.maxOpenZones() : 0);
        putLe32(CFG_MAX_ACTIVE_ZONES, on ? config.maxActiveZones() : 0);
        putLe32(CFG_MAX_APPEND_SECTORS, on ? config.maxAppendSectors() : 0);
        putLe32(CFG_WRITE_GRANULARITY, on ? config.writeGranularity() : 0);
        bytes[CFG_ZONED_MODEL] = (byte) (on ? config.zonedModel().value() : 0);
        // unused2 (CFG_UNUSED2..+2) is never written: always 0 (blk.dev.18)
        return !java.util.Arrays.equals(before, java.util.Arrays.copyOfRange(bytes, CFG_ZONE_SECTORS, CONFIG_SIZE));
    }

    long capacity() {
        return getLe64(CFG_CAPACITY);
    }

    void setCapacity(long sectors) {
        putLe64(CFG_CAPACITY, sectors);
    }

    int writeback() {
        return bytes[CFG_WRITEBACK] & 0xff;
    }

    /** The field exists only with CONFIG_WCE offered; otherwise it stays 0. */
    void setWriteback(int value) {
        if (has(offered, BLK_CONFIG_WCE)) {
            bytes[CFG_WRITEBACK] = (byte) value;
        }
    }

    /** Little-endian read of {@code width} bytes at {@code offset}; bytes past the structure read 0. */
    long read(long offset, int width) {
        long v = 0;
        for (int i = width - 1; i >= 0; i--) {
            long o = offset + i;
            int b = o >= 0 && o < CONFIG_SIZE ? bytes[(int) o] & 0xff : 0;
            v = (v << 8) | b;
        }
        return v;
    }

    static boolean defined(long offset) {
        return offset >= 0 && offset < CONFIG_SIZE;
    }

    static String fieldName(int offset) {
        return NAME[offset];
    }

    static int accessWidth(int offset) {
        return ACCESS[offset];
    }

    static int gate(int offset) {
        return GATE[offset];
    }

    private void putLe16(int off, int v) {
        bytes[off] = (byte) v;
        bytes[off + 1] = (byte) (v >>> 8);
    }

    private void putLe32(int off, int v) {
        putLe16(off, v);
        putLe16(off + 2, v >>> 16);
    }

    private void putLe64(int off, long v) {
        putLe32(off, (int) v);
        putLe32(off + 4, (int) (v >>> 32));
    }

    private long getLe64(int off) {
        return read(off, 8);
    }
}
