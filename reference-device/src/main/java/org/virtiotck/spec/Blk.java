package org.virtiotck.spec;

import java.util.Map;

/** Block device constants (§5.2): request types, status codes and the configuration layout. */
public final class Blk {
    private Blk() {}

    public static final int DEVICE_ID = 2;
    public static final int SECTOR_SIZE = 512;
    /** Request header: le32 type, le32 reserved, le64 sector. */
    public static final int HEADER_SIZE = 16;
    public static final int ID_BYTES = 20;
    /** struct virtio_blk_lifetime: three le16 fields. */
    public static final int LIFETIME_SIZE = 6;
    /** One DISCARD / WRITE_ZEROES / SECURE_ERASE segment: le64 sector, le32 num_sectors, le32 flags. */
    public static final int SEGMENT_SIZE = 16;
    public static final int SEGMENT_FLAG_UNMAP = 1;

    // Request types (§5.2.6)
    public static final int T_IN = 0;
    public static final int T_OUT = 1;
    public static final int T_FLUSH = 4;
    public static final int T_GET_ID = 8;
    public static final int T_GET_LIFETIME = 10;
    public static final int T_DISCARD = 11;
    public static final int T_WRITE_ZEROES = 13;
    public static final int T_SECURE_ERASE = 14;
    /** Legacy only: VIRTIO_BLK_T_FLUSH_OUT, a synonym of FLUSH (§5.2.6.3). */
    public static final int T_FLUSH_OUT_LEGACY = 5;
    public static final int T_ZONE_APPEND = 15;
    public static final int T_ZONE_REPORT = 16;
    public static final int T_ZONE_OPEN = 18;
    public static final int T_ZONE_CLOSE = 20;
    public static final int T_ZONE_FINISH = 22;
    public static final int T_ZONE_RESET = 24;
    public static final int T_ZONE_RESET_ALL = 26;
    /** Every zone request type; without ZONED each completes with UNSUPP (blk.dev.37). */
    public static final int[] ZONE_TYPES = {T_ZONE_APPEND, T_ZONE_REPORT, T_ZONE_OPEN, T_ZONE_CLOSE,
            T_ZONE_FINISH, T_ZONE_RESET, T_ZONE_RESET_ALL};

    // Status byte values (§5.2.6)
    public static final int S_OK = 0;
    public static final int S_IOERR = 1;
    public static final int S_UNSUPP = 2;
    // Zoned status codes (§5.2.6, with VIRTIO_BLK_F_ZONED)
    public static final int S_ZONE_INVALID_CMD = 3;
    public static final int S_ZONE_UNALIGNED_WP = 4;
    public static final int S_ZONE_OPEN_RESOURCE = 5;
    public static final int S_ZONE_ACTIVE_RESOURCE = 6;

    // Zoned models (config field zoned.model, §5.2.4)
    public static final int Z_NONE = 0;
    public static final int Z_HM = 1;
    public static final int Z_HA = 2;

    // Zone types (z_type of a zone descriptor)
    public static final int ZT_CONV = 1;
    public static final int ZT_SWR = 2;
    public static final int ZT_SWP = 3;

    // Zone states (z_state of a zone descriptor)
    public static final int ZS_NOT_WP = 0;
    public static final int ZS_EMPTY = 1;
    public static final int ZS_IOPEN = 2;
    public static final int ZS_EOPEN = 3;
    public static final int ZS_CLOSED = 4;
    public static final int ZS_RDONLY = 13;
    public static final int ZS_FULL = 14;
    public static final int ZS_OFFLINE = 15;

    /** struct virtio_blk_zone_report header: le64 nr_zones, u8 reserved[56]. */
    public static final int ZONE_REPORT_HEADER_SIZE = 64;
    /** struct virtio_blk_zone_descriptor: le64 z_cap, le64 z_start, le64 z_wp, u8 z_type, u8 z_state, u8 reserved[38]. */
    public static final int ZONE_DESCRIPTOR_SIZE = 64;
    public static final int ZD_CAP = 0;
    public static final int ZD_START = 8;
    public static final int ZD_WP = 16;
    public static final int ZD_TYPE = 24;
    public static final int ZD_STATE = 25;
    /** ZONE_APPEND's device-writable trailer: le64 append_sector, then the status byte. */
    public static final int APPEND_SECTOR_SIZE = 8;

    // Configuration layout: byte offsets within the device-specific configuration space (§5.2.4)
    public static final int CFG_CAPACITY = 0;                 // le64
    public static final int CFG_SIZE_MAX = 8;                 // le32
    public static final int CFG_SEG_MAX = 12;                 // le32
    public static final int CFG_GEOMETRY_CYLINDERS = 16;      // le16
    public static final int CFG_GEOMETRY_HEADS = 18;          // u8
    public static final int CFG_GEOMETRY_SECTORS = 19;        // u8
    public static final int CFG_BLK_SIZE = 20;                // le32
    public static final int CFG_PHYSICAL_BLOCK_EXP = 24;      // u8
    public static final int CFG_ALIGNMENT_OFFSET = 25;        // u8
    public static final int CFG_MIN_IO_SIZE = 26;             // le16
    public static final int CFG_OPT_IO_SIZE = 28;             // le32
    public static final int CFG_WRITEBACK = 32;               // u8
    public static final int CFG_UNUSED0 = 33;                 // u8
    public static final int CFG_NUM_QUEUES = 34;              // le16
    public static final int CFG_MAX_DISCARD_SECTORS = 36;     // le32
    public static final int CFG_MAX_DISCARD_SEG = 40;         // le32
    public static final int CFG_DISCARD_SECTOR_ALIGNMENT = 44;// le32
    public static final int CFG_MAX_WRITE_ZEROES_SECTORS = 48;// le32
    public static final int CFG_MAX_WRITE_ZEROES_SEG = 52;    // le32
    public static final int CFG_WRITE_ZEROES_MAY_UNMAP = 56;  // u8
    public static final int CFG_UNUSED1 = 57;                 // u8[3]
    public static final int CFG_MAX_SECURE_ERASE_SECTORS = 60;// le32
    public static final int CFG_MAX_SECURE_ERASE_SEG = 64;    // le32
    public static final int CFG_SECURE_ERASE_SECTOR_ALIGNMENT = 68; // le32
    public static final int CFG_ZONE_SECTORS = 72;            // le32
    public static final int CFG_MAX_OPEN_ZONES = 76;          // le32
    public static final int CFG_MAX_ACTIVE_ZONES = 80;        // le32
    public static final int CFG_MAX_APPEND_SECTORS = 84;      // le32
    public static final int CFG_WRITE_GRANULARITY = 88;       // le32
    public static final int CFG_ZONED_MODEL = 92;             // u8
    public static final int CFG_UNUSED2 = 93;                 // u8[3]
    /** Size of struct virtio_blk_config including the zoned fields. */
    public static final int CONFIG_SIZE = 96;

    private static final Map<Integer, String> TYPE_NAMES = ConstantNames.of(Blk.class, "T_", "T_FLUSH_OUT_LEGACY");
    private static final Map<Integer, String> ZONE_STATE_NAMES = ConstantNames.of(Blk.class, "ZS_");
    private static final Map<Integer, String> ZONE_TYPE_NAMES = ConstantNames.of(Blk.class, "ZT_");
    private static final Map<Integer, String> STATUS_NAMES = ConstantNames.of(Blk.class, "S_");

    /** "IN", "ZONE_APPEND", ... (FLUSH_OUT, a legacy synonym, is "type 5"), or "type N" for an unknown type. */
    public static String typeName(int type) {
        return TYPE_NAMES.getOrDefault(type, "type " + Integer.toUnsignedString(type));
    }

    public static String zoneStateName(int state) {
        return ZONE_STATE_NAMES.getOrDefault(state, "state " + state);
    }

    public static String zoneTypeName(int type) {
        return ZONE_TYPE_NAMES.getOrDefault(type, "type " + type);
    }

    public static String statusName(int status) {
        return STATUS_NAMES.getOrDefault(status, "status " + status);
    }
}
