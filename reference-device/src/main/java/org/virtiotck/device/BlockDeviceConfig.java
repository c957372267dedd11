package org.virtiotck.device;

import static org.virtiotck.spec.FeatureBit.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Immutable configuration of a {@link ReferenceBlockDevice}: transport flavour, offered features, queue
 * geometry, disk size and the values published in {@code struct virtio_blk_config} (§5.2.4).
 *
 * <p>Defaults: modern (Version 2) transport, vendor id {@link #DEFAULT_VENDOR_ID} ("VTCK"), 2048 sectors
 * (1 MiB) memory-backed, one request queue with VIRTIO_BLK_F_MQ offered, QueueNumMax 256, serial
 * "virtio-tck-ref", and the feature sets of {@link #defaultModernFeatures()} / {@link #defaultLegacyFeatures()}.
 *
 * <p>{@link Builder#build()} refuses configurations the device could not honour (features.dev.1, features.dev.4,
 * reserved.dev.1, blk.dev.2, reserved-legacy.dev.3, blk.dev.36, mmio.dev.14, reserved.dev.10).
 */
public final class BlockDeviceConfig {

    /** Our own virtio subsystem vendor id: the bytes "VTCK" read as a little-endian u32 ('V' in the low byte). */
    public static final int DEFAULT_VENDOR_ID = 0x4b435456;
    public static final long DEFAULT_CAPACITY_SECTORS = 2048;
    public static final int DEFAULT_QUEUE_NUM_MAX = 256;
    public static final String DEFAULT_SERIAL = "virtio-tck-ref";
    /** Default zone size when {@link Builder#zoned} is given no other: 256 sectors (128 KiB). */
    public static final int DEFAULT_ZONE_SECTORS = 256;

    /** Block feature bits this device implements in either layout (§5.2.3); BARRIER and SCSI are not. */
    static final long BLK_IMPLEMENTED = mask(BLK_SIZE_MAX) | mask(BLK_SEG_MAX) | mask(BLK_GEOMETRY) | mask(BLK_RO)
            | mask(BLK_BLK_SIZE) | mask(BLK_FLUSH) | mask(BLK_TOPOLOGY) | mask(BLK_CONFIG_WCE) | mask(BLK_MQ)
            | mask(BLK_DISCARD) | mask(BLK_WRITE_ZEROES) | mask(BLK_LIFETIME) | mask(BLK_SECURE_ERASE);
    /**
     * Transport-independent bits a modern device can honour. IN_ORDER is honoured trivially (requests are
     * completed synchronously in ring order), ORDER_PLATFORM/ACCESS_PLATFORM need nothing from an in-process
     * device with identity translation, NOTIFICATION_DATA only changes how QueueNotify is decoded.
     */
    static final long MODERN_IMPLEMENTED = BLK_IMPLEMENTED | mask(BLK_ZONED) | mask(INDIRECT_DESC) | mask(EVENT_IDX) | mask(VERSION_1)
            | mask(ACCESS_PLATFORM) | mask(IN_ORDER) | mask(ORDER_PLATFORM) | mask(NOTIFICATION_DATA)
            | mask(RING_RESET);
    /** Legacy (Version 1) register file: only the low 32 feature bits exist there; never ZONED (blk.dev.6). */
    static final long LEGACY_IMPLEMENTED = BLK_IMPLEMENTED | mask(NOTIFY_ON_EMPTY) | mask(ANY_LAYOUT)
            | mask(INDIRECT_DESC) | mask(EVENT_IDX);

    private static final long BLK_DEFAULTS = mask(BLK_SIZE_MAX) | mask(BLK_SEG_MAX) | mask(BLK_GEOMETRY)
            | mask(BLK_BLK_SIZE) | mask(BLK_TOPOLOGY) | mask(BLK_FLUSH) | mask(BLK_CONFIG_WCE) | mask(BLK_MQ)
            | mask(BLK_DISCARD) | mask(BLK_WRITE_ZEROES) | mask(BLK_SECURE_ERASE) | mask(BLK_LIFETIME);

    private final boolean legacy;
    private final long offeredFeatures;
    private final int numQueues;
    private final int queueNumMax;
    private final long capacitySectors;
    private final String serial;
    private final int vendorId;
    private final Path imageFile;
    private final int sizeMax;
    private final int segMax;
    private final int geometryCylinders;
    private final int geometryHeads;
    private final int geometrySectors;
    private final int blkSize;
    private final int physicalBlockExp;
    private final int alignmentOffset;
    private final int minIoSize;
    private final int optIoSize;
    private final boolean writebackDefault;
    private final int maxDiscardSectors;
    private final int maxDiscardSeg;
    private final int discardSectorAlignment;
    private final int maxWriteZeroesSectors;
    private final int maxWriteZeroesSeg;
    private final boolean writeZeroesMayUnmap;
    private final int maxSecureEraseSectors;
    private final int maxSecureEraseSeg;
    private final int secureEraseSectorAlignment;
    private final int preEolInfo;
    private final int lifetimeEstTypA;
    private final int lifetimeEstTypB;
    private final ZonedModel zonedModel;
    private final int zoneSectors;
    private final int maxOpenZones;
    private final int maxActiveZones;
    private final int maxAppendSectors;
    private final int writeGranularity;
    private final int conventionalZones;
    private final int[] readOnlyZones;
    private final int[] offlineZones;

    private BlockDeviceConfig(Builder b, long features, int cylinders, int secureEraseAlignment) {
        this.legacy = b.legacy;
        this.offeredFeatures = features;
        this.numQueues = b.numQueues;
        this.queueNumMax = b.queueNumMax;
        this.capacitySectors = b.capacitySectors;
        this.serial = b.serial;
        this.vendorId = b.vendorId;
        this.imageFile = b.imageFile;
        this.sizeMax = b.sizeMax;
        this.segMax = b.segMax;
        this.geometryCylinders = cylinders;
        this.geometryHeads = b.geometryHeads;
        this.geometrySectors = b.geometrySectors;
        this.blkSize = b.blkSize;
        this.physicalBlockExp = b.physicalBlockExp;
        this.alignmentOffset = b.alignmentOffset;
        this.minIoSize = b.minIoSize;
        this.optIoSize = b.optIoSize;
        this.writebackDefault = b.writebackDefault;
        this.maxDiscardSectors = b.maxDiscardSectors;
        this.maxDiscardSeg = b.maxDiscardSeg;
        this.discardSectorAlignment = b.discardSectorAlignment;
        this.maxWriteZeroesSectors = b.maxWriteZeroesSectors;
        this.maxWriteZeroesSeg = b.maxWriteZeroesSeg;
        this.writeZeroesMayUnmap = b.writeZeroesMayUnmap;
        this.maxSecureEraseSectors = b.maxSecureEraseSectors;
        this.maxSecureEraseSeg = b.maxSecureEraseSeg;
        this.secureEraseSectorAlignment = secureEraseAlignment;
        this.preEolInfo = b.preEolInfo;
        this.lifetimeEstTypA = b.lifetimeEstTypA;
        this.lifetimeEstTypB = b.lifetimeEstTypB;
        this.zonedModel = b.zonedModel;
        this.zoneSectors = b.zoneSectors;
        this.maxOpenZones = b.maxOpenZones;
        this.maxActiveZones = b.maxActiveZones;
        this.maxAppendSectors = b.maxAppendSectors;
        this.writeGranularity = b.writeGranularity;
        this.conventionalZones = b.conventionalZones;
        this.readOnlyZones = b.readOnlyZones.clone();
        this.offlineZones = b.offlineZones.clone();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder preloaded with this configuration. Features stay explicit, so toggling legacy may need features(..). */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.legacy = legacy;
        // RO is re-added from readOnly and ZONED from the zoned model, so readOnly(false) / zoned(NONE) work.
        b.features = offeredFeatures & ~mask(BLK_RO) & ~mask(BLK_ZONED);
        b.featuresSet = true;
        b.numQueues = numQueues;
        b.queueNumMax = queueNumMax;
        b.capacitySectors = capacitySectors;
        b.readOnly = readOnly();
        b.serial = serial;
        b.vendorId = vendorId;
        b.imageFile = imageFile;
        b.sizeMax = sizeMax;
        b.segMax = segMax;
        b.geometryCylinders = geometryCylinders;
        b.geometryHeads = geometryHeads;
        b.geometrySectors = geometrySectors;
        b.blkSize = blkSize;
        b.physicalBlockExp = physicalBlockExp;
        b.alignmentOffset = alignmentOffset;
        b.minIoSize = minIoSize;
        b.optIoSize = optIoSize;
        b.writebackDefault = writebackDefault;
        b.maxDiscardSectors = maxDiscardSectors;
        b.maxDiscardSeg = maxDiscardSeg;
        b.discardSectorAlignment = discardSectorAlignment;
        b.maxWriteZeroesSectors = maxWriteZeroesSectors;
        b.maxWriteZeroesSeg = maxWriteZeroesSeg;
        b.writeZeroesMayUnmap = writeZeroesMayUnmap;
        b.maxSecureEraseSectors = maxSecureEraseSectors;
        b.maxSecureEraseSeg = maxSecureEraseSeg;
        b.secureEraseSectorAlignment = secureEraseSectorAlignment;
        b.secureEraseAlignmentSet = true;
        b.preEolInfo = preEolInfo;
        b.lifetimeEstTypA = lifetimeEstTypA;
        b.lifetimeEstTypB = lifetimeEstTypB;
        b.zonedModel = zonedModel;
        b.zoneSectors = zoneSectors;
        b.maxOpenZones = maxOpenZones;
        b.maxActiveZones = maxActiveZones;
        b.maxAppendSectors = maxAppendSectors;
        b.writeGranularity = writeGranularity;
        b.conventionalZones = conventionalZones;
        b.readOnlyZones = readOnlyZones.clone();
        b.offlineZones = offlineZones.clone();
        return b;
    }

    /**
     * VERSION_1, RING_RESET, INDIRECT_DESC, EVENT_IDX, IN_ORDER and the block bits SIZE_MAX, SEG_MAX, GEOMETRY,
     * BLK_SIZE, TOPOLOGY, FLUSH, CONFIG_WCE, MQ, DISCARD, WRITE_ZEROES, SECURE_ERASE, LIFETIME. RO is added
     * only for a read-only device.
     */
    public static long defaultModernFeatures() {
        return BLK_DEFAULTS | mask(VERSION_1) | mask(RING_RESET) | mask(INDIRECT_DESC) | mask(EVENT_IDX)
                | mask(IN_ORDER);
    }

    /**
     * Legacy interface: no VERSION_1 / RING_RESET (no high word at all), ANY_LAYOUT (reserved-legacy.dev.3),
     * NOTIFY_ON_EMPTY, INDIRECT_DESC, EVENT_IDX and the same block bits as the modern default.
     */
    public static long defaultLegacyFeatures() {
        return BLK_DEFAULTS | mask(ANY_LAYOUT) | mask(NOTIFY_ON_EMPTY) | mask(INDIRECT_DESC) | mask(EVENT_IDX);
    }

    public boolean legacy() { return legacy; }
    public long offeredFeatures() { return offeredFeatures; }
    public int numQueues() { return numQueues; }
    public int queueNumMax() { return queueNumMax; }
    public long capacitySectors() { return capacitySectors; }
    /** Whether VIRTIO_BLK_F_RO is offered; then every write request fails with IOERR (blk.dev.21, blk.dev.22). */
    public boolean readOnly() { return has(offeredFeatures, BLK_RO); }
    public String serial() { return serial; }
    public int vendorId() { return vendorId; }
    /** Raw image file backing the disk, or null for a memory-backed disk. */
    public Path imageFile() { return imageFile; }
    public int sizeMax() { return sizeMax; }
    public int segMax() { return segMax; }
    public int geometryCylinders() { return geometryCylinders; }
    public int geometryHeads() { return geometryHeads; }
    public int geometrySectors() { return geometrySectors; }
    public int blkSize() { return blkSize; }
    public int physicalBlockExp() { return physicalBlockExp; }
    public int alignmentOffset() { return alignmentOffset; }
    public int minIoSize() { return minIoSize; }
    public int optIoSize() { return optIoSize; }
    /** The writeback value after reset when the driver negotiates both FLUSH and CONFIG_WCE (blk-desc.dev.6). */
    public boolean writebackDefault() { return writebackDefault; }
    public int maxDiscardSectors() { return maxDiscardSectors; }
    public int maxDiscardSeg() { return maxDiscardSeg; }
    public int discardSectorAlignment() { return discardSectorAlignment; }
    public int maxWriteZeroesSectors() { return maxWriteZeroesSectors; }
    public int maxWriteZeroesSeg() { return maxWriteZeroesSeg; }
    public boolean writeZeroesMayUnmap() { return writeZeroesMayUnmap; }
    public int maxSecureEraseSectors() { return maxSecureEraseSectors; }
    public int maxSecureEraseSeg() { return maxSecureEraseSeg; }
    public int secureEraseSectorAlignment() { return secureEraseSectorAlignment; }
    public int preEolInfo() { return preEolInfo; }
    public int lifetimeEstTypA() { return lifetimeEstTypA; }
    public int lifetimeEstTypB() { return lifetimeEstTypB; }
    /** The zoned model; anything but {@link ZonedModel#NONE} offers VIRTIO_BLK_F_ZONED. */
    public ZonedModel zonedModel() { return zonedModel; }
    public boolean zoned() { return zonedModel.zoned(); }
    /** zone_sectors: size of every zone but possibly the last (blk.dev.10, blk.dev.11); 0 when not zoned. */
    public int zoneSectors() { return zoned() ? zoneSectors : 0; }
    /** max_open_zones (0 = no limit). */
    public int maxOpenZones() { return zoned() ? maxOpenZones : 0; }
    /** max_active_zones (0 = no limit). */
    public int maxActiveZones() { return zoned() ? maxActiveZones : 0; }
    /** max_append_sectors (0 = ZONE_APPEND not supported, blk.dev.16). */
    public int maxAppendSectors() { return zoned() ? maxAppendSectors : 0; }
    /** write_granularity in bytes. */
    public int writeGranularity() { return zoned() ? writeGranularity : 0; }
    /** How many zones, from sector 0 on, are conventional. */
    public int conventionalZones() { return zoned() ? conventionalZones : 0; }
    /** Zone indices that start (and stay) READ_ONLY, for testing blk.dev.54. */
    public int[] readOnlyZones() { return readOnlyZones.clone(); }
    /** Zone indices that start (and stay) OFFLINE, for testing blk.dev.55. */
    public int[] offlineZones() { return offlineZones.clone(); }
    /** nr_zones = ceil(capacity / zone_sectors) (§5.2.5.2); 0 when not zoned. */
    public long zoneCount() {
        return zoned() ? (capacitySectors + zoneSectors - 1) / zoneSectors : 0;
    }

    public boolean offers(int bit) {
        return has(offeredFeatures, bit);
    }

    @Override
    public String toString() {
        return "BlockDeviceConfig[" + (legacy ? "legacy" : "modern") + ", features=" + describe(offeredFeatures)
                + ", queues=" + numQueues + ", queueNumMax=" + queueNumMax + ", capacity=" + capacitySectors
                + " sectors, serial=" + serial + ", image=" + imageFile
                + (zoned() ? ", zoned=" + zonedModel + "(zone " + zoneSectors + " sectors, open " + maxOpenZones
                        + ", active " + maxActiveZones + ", append " + maxAppendSectors + ", granularity "
                        + writeGranularity + ", conventional " + conventionalZones + ")" : "") + "]";
    }

    public static final class Builder {
        private boolean legacy;
        private long features;
        private boolean featuresSet;
        private int numQueues = 1;
        private int queueNumMax = DEFAULT_QUEUE_NUM_MAX;
        private long capacitySectors = DEFAULT_CAPACITY_SECTORS;
        private boolean readOnly;
        private String serial = DEFAULT_SERIAL;
        private int vendorId = DEFAULT_VENDOR_ID;
        private Path imageFile;
        private int sizeMax = 65536;
        private int segMax = 254;
        private int geometryCylinders = -1;
        private int geometryHeads = 16;
        private int geometrySectors = 63;
        private int blkSize = 512;
        private int physicalBlockExp = 3;
        private int alignmentOffset = 0;
        private int minIoSize = 8;
        private int optIoSize = 128;
        private boolean writebackDefault = true;
        private int maxDiscardSectors = 32768;
        private int maxDiscardSeg = 8;
        private int discardSectorAlignment = 8;
        private int maxWriteZeroesSectors = 32768;
        private int maxWriteZeroesSeg = 8;
        private boolean writeZeroesMayUnmap = false;
        private int maxSecureEraseSectors = 32768;
        private int maxSecureEraseSeg = 8;
        private int secureEraseSectorAlignment = 8;
        private boolean secureEraseAlignmentSet;
        private ZonedModel zonedModel = ZonedModel.NONE;
        private int zoneSectors = DEFAULT_ZONE_SECTORS;
        private int maxOpenZones;
        private int maxActiveZones;
        private int maxAppendSectors;
        private int writeGranularity = 512;
        private int conventionalZones;
        private int[] readOnlyZones = new int[0];
        private int[] offlineZones = new int[0];
        private int preEolInfo = 1;
        private int lifetimeEstTypA = 1;
        private int lifetimeEstTypB = 2;

        private Builder() {}

        /** Version 1 (legacy, page-based) register layout instead of Version 2. */
        public Builder legacy(boolean legacy) { this.legacy = legacy; return this; }
        /** The exact offered feature set; without this call the layout's default set is used. */
        public Builder features(long features) { this.features = features; this.featuresSet = true; return this; }
        /** Reverts {@link #features(long)} to the default set of the chosen layout. */
        public Builder defaultFeatures() { this.featuresSet = false; return this; }
        public Builder queues(int numQueues) { this.numQueues = numQueues; return this; }
        public Builder queueNumMax(int queueNumMax) { this.queueNumMax = queueNumMax; return this; }
        public Builder capacitySectors(long sectors) { this.capacitySectors = sectors; return this; }
        /** Offers VIRTIO_BLK_F_RO (and then rejects every write, blk.dev.21, blk.dev.22). */
        public Builder readOnly(boolean readOnly) { this.readOnly = readOnly; return this; }
        public Builder serial(String serial) { this.serial = serial; return this; }
        public Builder vendorId(int vendorId) { this.vendorId = vendorId; return this; }
        public Builder imageFile(Path imageFile) { this.imageFile = imageFile; return this; }
        public Builder sizeMax(int sizeMax) { this.sizeMax = sizeMax; return this; }
        public Builder segMax(int segMax) { this.segMax = segMax; return this; }
        public Builder geometry(int cylinders, int heads, int sectors) {
            this.geometryCylinders = cylinders; this.geometryHeads = heads; this.geometrySectors = sectors; return this;
        }
        public Builder blkSize(int blkSize) { this.blkSize = blkSize; return this; }
        public Builder topology(int physicalBlockExp, int alignmentOffset, int minIoSize, int optIoSize) {
            this.physicalBlockExp = physicalBlockExp; this.alignmentOffset = alignmentOffset;
            this.minIoSize = minIoSize; this.optIoSize = optIoSize; return this;
        }
        public Builder writebackDefault(boolean writeback) { this.writebackDefault = writeback; return this; }
        public Builder discardLimits(int maxSectors, int maxSeg, int sectorAlignment) {
            this.maxDiscardSectors = maxSectors; this.maxDiscardSeg = maxSeg;
            this.discardSectorAlignment = sectorAlignment; return this;
        }
        public Builder writeZeroesLimits(int maxSectors, int maxSeg, boolean mayUnmap) {
            this.maxWriteZeroesSectors = maxSectors; this.maxWriteZeroesSeg = maxSeg;
            this.writeZeroesMayUnmap = mayUnmap; return this;
        }
        public Builder secureEraseLimits(int maxSectors, int maxSeg, int sectorAlignment) {
            this.maxSecureEraseSectors = maxSectors; this.maxSecureEraseSeg = maxSeg;
            this.secureEraseSectorAlignment = sectorAlignment; this.secureEraseAlignmentSet = true; return this;
        }
        /**
         * The zoned model and its characteristics (§5.2.4 {@code zoned}). HOST_MANAGED and HOST_AWARE offer
         * VIRTIO_BLK_F_ZONED (modern only, blk.dev.6); NONE never does (blk.dev.5). Sizes are in 512-byte
         * sectors except {@code writeGranularity} (bytes). The first {@code conventionalZones} zones are
         * conventional, the rest SWR (HM) or SWP (HA). Unless set explicitly, secure_erase_sector_alignment
         * becomes {@code zoneSectors} (blk.dev.58).
         */
        public Builder zoned(ZonedModel model, int zoneSectors, int maxOpenZones, int maxActiveZones,
                             int maxAppendSectors, int writeGranularity, int conventionalZones) {
            this.zonedModel = Objects.requireNonNull(model, "model");
            this.zoneSectors = zoneSectors; this.maxOpenZones = maxOpenZones; this.maxActiveZones = maxActiveZones;
            this.maxAppendSectors = maxAppendSectors; this.writeGranularity = writeGranularity;
            this.conventionalZones = conventionalZones; return this;
        }
        /** Sequential zones (by index) that are READ_ONLY from power-on, as after a media failure (blk.dev.54). */
        public Builder readOnlyZones(int... zones) { this.readOnlyZones = zones.clone(); return this; }
        /** Sequential zones (by index) that are OFFLINE from power-on (blk.dev.55). */
        public Builder offlineZones(int... zones) { this.offlineZones = zones.clone(); return this; }
        public Builder lifetime(int preEolInfo, int estTypA, int estTypB) {
            this.preEolInfo = preEolInfo; this.lifetimeEstTypA = estTypA; this.lifetimeEstTypB = estTypB; return this;
        }

        public BlockDeviceConfig build() {
            long f = featuresSet ? features : (legacy ? defaultLegacyFeatures() : defaultModernFeatures());
            if (readOnly) {
                f |= mask(BLK_RO);
            }
            if (zonedModel.zoned()) {
                if (legacy) {
                    throw new IllegalArgumentException("a legacy device cannot be zoned: VIRTIO_BLK_F_ZONED needs "
                            + "FEATURES_OK (blk.dev.6)");
                }
                f |= mask(BLK_ZONED);
            } else if (has(f, BLK_ZONED)) {
                throw new IllegalArgumentException("VIRTIO_BLK_F_ZONED offered by a device without a zoned model "
                        + "(blk.dev.5); use zoned(HOST_MANAGED|HOST_AWARE, ...)");
            }
            long allowed = legacy ? LEGACY_IMPLEMENTED : MODERN_IMPLEMENTED;
            long unsupported = f & ~allowed;
            if (unsupported != 0) {
                throw new IllegalArgumentException("the " + (legacy ? "legacy" : "modern")
                        + " device cannot honour offered feature(s) " + describe(unsupported)
                        + " (features.dev.4; ADMIN_VQ mmio.dev.14, SR_IOV reserved.dev.10)");
            }
            if (!legacy && !has(f, VERSION_1)) {
                throw new IllegalArgumentException("a modern (Version 2) device must offer VIRTIO_F_VERSION_1 (reserved.dev.1)");
            }
            if (legacy && !has(f, ANY_LAYOUT)) {
                throw new IllegalArgumentException("a legacy device must offer VIRTIO_F_ANY_LAYOUT (reserved-legacy.dev.3)");
            }
            if (has(f, BLK_CONFIG_WCE) && !has(f, BLK_FLUSH)) {
                throw new IllegalArgumentException("VIRTIO_BLK_F_CONFIG_WCE requires VIRTIO_BLK_F_FLUSH to be offered (blk.dev.2)");
            }
            if (numQueues < 1 || numQueues > 0xffff) {
                throw new IllegalArgumentException("queues must be in 1..65535 (num_queues is le16), got " + numQueues);
            }
            if (numQueues > 1 && !has(f, BLK_MQ)) {
                throw new IllegalArgumentException("more than one queue needs VIRTIO_BLK_F_MQ offered (blk-desc.dev.2)");
            }
            if (queueNumMax < 1 || queueNumMax > org.virtiotck.spec.SplitRing.MAX_QUEUE_SIZE) {
                throw new IllegalArgumentException("queueNumMax must be in 1..32768, got " + queueNumMax);
            }
            if (capacitySectors < 0 || capacitySectors > Long.MAX_VALUE / 512) {
                throw new IllegalArgumentException("capacitySectors must be in 0..2^54, got " + capacitySectors);
            }
            Objects.requireNonNull(serial, "serial");
            if (serial.length() > 20 || !StandardCharsets.US_ASCII.newEncoder().canEncode(serial)) {
                throw new IllegalArgumentException("serial must be ASCII and at most 20 bytes (blk-desc.dev.12): " + serial);
            }
            if (preEolInfo < 0 || preEolInfo > 3 || lifetimeEstTypA < 0 || lifetimeEstTypA > 11
                    || lifetimeEstTypB < 0 || lifetimeEstTypB > 11) {
                throw new IllegalArgumentException("lifetime values must be pre_eol_info 0..3 and estimates 0..11 (blk.dev.36)");
            }
            checkU8("geometry heads", geometryHeads);
            checkU8("geometry sectors", geometrySectors);
            checkU8("physical_block_exp", physicalBlockExp);
            checkU8("alignment_offset", alignmentOffset);
            checkU16("min_io_size", minIoSize);
            if (blkSize <= 0 || Integer.bitCount(blkSize) != 1 || blkSize < 512) {
                throw new IllegalArgumentException("blk_size must be a power of two >= 512, got " + blkSize);
            }
            if (has(f, BLK_DISCARD) && (maxDiscardSectors <= 0 || maxDiscardSeg <= 0)) {
                throw new IllegalArgumentException("DISCARD offered: max_discard_sectors and max_discard_seg must be > 0");
            }
            if (has(f, BLK_WRITE_ZEROES) && (maxWriteZeroesSectors <= 0 || maxWriteZeroesSeg <= 0)) {
                throw new IllegalArgumentException("WRITE_ZEROES offered: max_write_zeroes_sectors and _seg must be > 0");
            }
            if (has(f, BLK_SECURE_ERASE) && (maxSecureEraseSectors <= 0 || maxSecureEraseSeg <= 0)) {
                throw new IllegalArgumentException("SECURE_ERASE offered: max_secure_erase_sectors and _seg must be > 0");
            }
            if (sizeMax < 0 || segMax < 0 || optIoSize < 0 || discardSectorAlignment < 0
                    || secureEraseSectorAlignment < 0) {
                throw new IllegalArgumentException("size_max, seg_max, opt_io_size and alignments are unsigned (< 2^31 here)");
            }
            int cylinders = geometryCylinders;
            if (cylinders < 0) {
                long perCylinder = (long) Math.max(1, geometryHeads) * Math.max(1, geometrySectors);
                cylinders = (int) Math.min(0xffff, capacitySectors / perCylinder);
            }
            checkU16("geometry cylinders", cylinders);
            int seAlignment = secureEraseSectorAlignment;
            if (zonedModel.zoned()) {
                if (!secureEraseAlignmentSet) {
                    seAlignment = zoneSectors;
                }
                checkZoned(f, seAlignment);
            }
            return new BlockDeviceConfig(this, f, cylinders, seAlignment);
        }

        private void checkZoned(long f, int seAlignment) {
            if (zoneSectors <= 0) {
                throw new IllegalArgumentException("zone_sectors must be > 0, got " + zoneSectors);
            }
            if (capacitySectors == 0) {
                throw new IllegalArgumentException("a zoned device needs a capacity of at least one zone");
            }
            if (writeGranularity <= 0 || writeGranularity % 512 != 0
                    || ((long) zoneSectors * 512) % writeGranularity != 0) {
                throw new IllegalArgumentException("write_granularity must be a positive multiple of 512 that "
                        + "divides the zone size in bytes, got " + writeGranularity);
            }
            if (maxOpenZones < 0 || maxActiveZones < 0 || maxAppendSectors < 0) {
                throw new IllegalArgumentException("max_open_zones, max_active_zones and max_append_sectors are "
                        + "unsigned (< 2^31 here)");
            }
            if (maxOpenZones > 0 && maxActiveZones > 0 && maxOpenZones > maxActiveZones) {
                throw new IllegalArgumentException("max_open_zones " + maxOpenZones + " exceeds max_active_zones "
                        + maxActiveZones + " (every open zone is active)");
            }
            if (((long) maxAppendSectors * 512) % writeGranularity != 0) {
                throw new IllegalArgumentException("max_append_sectors must be a multiple of write_granularity");
            }
            if (has(f, BLK_SEG_MAX) && has(f, BLK_SIZE_MAX)
                    && (long) maxAppendSectors * 512 > (long) segMax * sizeMax) {
                // blk.dev.15 compares sectors with seg_max*size_max bytes; bytes to bytes is the stricter reading.
                throw new IllegalArgumentException("max_append_sectors " + maxAppendSectors + " exceeds seg_max * "
                        + "size_max (blk.dev.15)");
            }
            long zones = (capacitySectors + zoneSectors - 1) / zoneSectors;
            if (zones > ZonedState.MAX_ZONES) {
                throw new IllegalArgumentException("too many zones (" + zones + "); at most " + ZonedState.MAX_ZONES);
            }
            if (conventionalZones < 0 || conventionalZones > zones) {
                throw new IllegalArgumentException("conventional zones must be in 0.." + zones + ", got "
                        + conventionalZones);
            }
            for (int[] list : new int[][] {readOnlyZones, offlineZones}) {
                for (int z : list) {
                    if (z < conventionalZones || z >= zones) {
                        throw new IllegalArgumentException("read-only/offline zone " + z + " is not a sequential "
                                + "zone (conventional zones always report NOT_WP, blk-desc.dev.15)");
                    }
                }
            }
            if (has(f, BLK_SECURE_ERASE) && (seAlignment <= 0 || seAlignment % zoneSectors != 0)) {
                throw new IllegalArgumentException("with ZONED and SECURE_ERASE, secure_erase_sector_alignment "
                        + seAlignment + " must be a multiple of zone_sectors " + zoneSectors + " (blk.dev.58)");
            }
        }

        private static void checkU8(String what, int v) {
            if (v < 0 || v > 0xff) {
                throw new IllegalArgumentException(what + " must fit in a u8, got " + v);
            }
        }

        private static void checkU16(String what, int v) {
            if (v < 0 || v > 0xffff) {
                throw new IllegalArgumentException(what + " must fit in a le16, got " + v);
            }
        }
    }
}
