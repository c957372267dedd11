package org.virtiotck.tck.adapter.reference;

import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Function;
import org.virtiotck.device.BlockDeviceConfig;
import org.virtiotck.device.MmioDevice;
import org.virtiotck.device.ReferenceBlockDevice;
import org.virtiotck.device.ZonedModel;
import org.virtiotck.spec.FeatureBit;
import org.virtiotck.tck.spi.SchemeProvider;
import org.virtiotck.tck.spi.Target;
import org.virtiotck.tck.spi.TargetProvider;
import org.virtiotck.tck.spi.TargetUri;
import org.virtiotck.tck.spi.TargetUriException;

/**
 * {@code reference[:modern|:legacy][?options]} — the embedded reference device.
 *
 * <p>Options: {@code queues=N}, {@code queueSize=N} (QueueNumMax), {@code capacity=SECTORS} or
 * {@code disk=BYTES} (k/m/g suffixes), {@code ro=true}, {@code serial=TEXT}, {@code image=PATH} (raw image file
 * instead of memory; {@code {pid}} in PATH becomes the process id), {@code ram=BYTES} (guest RAM, default 4m), {@code features=LIST} where LIST is a comma
 * list of {@code +NAME}/{@code -NAME} edits to the default offer (NAME as in VIRTIO_F_EVENT_IDX, EVENT_IDX or a
 * bit number) or a hex mask {@code 0x...} replacing it.
 *
 * <p>Zoned options: {@code zoned=hm|ha|none} (offers VIRTIO_BLK_F_ZONED for hm/ha), {@code zoneSectors=N} (256), {@code maxOpen=N} (3), {@code maxActive=N} (5),
 * {@code maxAppend=N} (64 sectors), {@code conventional=N} zones (1), {@code writeGranularity=BYTES} (512),
 * {@code readOnlyZones=I,J} and {@code offlineZones=I,J} (zone indices).
 *
 * <p>Range-request limits: {@code maxDiscardSectors}, {@code maxDiscardSeg}, {@code maxWriteZeroesSectors},
 * {@code maxWriteZeroesSeg}, {@code maxSecureEraseSectors}, {@code maxSecureEraseSeg} (default 32768 sectors and 8
 * segments each), so that a device mixing up the three types' limits can be shown.
 */
public final class ReferenceTargetProvider extends SchemeProvider implements TargetProvider {

    public ReferenceTargetProvider() {
        super("reference",
                "reference[:modern|:legacy][?queues=N&queueSize=N&capacity=SECTORS&disk=BYTES&ro=true"
                + "&serial=TEXT&image=PATH&ram=BYTES&features=+NAME,-NAME|0xMASK&zoned=hm|ha&zoneSectors=N&maxOpen=N"
                + "&maxActive=N&maxAppend=N&conventional=N&writeGranularity=BYTES&readOnlyZones=I,J&offlineZones=I,J"
                + "&maxDiscardSectors=N&maxDiscardSeg=N&maxWriteZeroesSectors=N&maxWriteZeroesSeg=N"
                + "&maxSecureEraseSectors=N&maxSecureEraseSeg=N]");
    }

    @Override
    public Target open(TargetUri uri) {
        return open(uri, device -> device);
    }

    /** Opens the reference device with a decorator in front of it (for deliberately broken variants). */
    public Target open(TargetUri uri, Function<ReferenceBlockDevice, MmioDevice> decorator) {
        BlockDeviceConfig config = config(uri);
        int ram = uri.intValue("ram", 4 << 20);
        uri.rejectUnknown();
        if (ram < (64 << 10)) {
            throw new TargetUriException("ram must be at least 64k, got " + ram);
        }
        return new ReferenceTarget(uri.toString(), config, ram, decorator);
    }

    /** Reads the device options of a reference URI. */
    public static BlockDeviceConfig config(TargetUri uri) {
        boolean legacy = switch (uri.path().toLowerCase(Locale.ROOT)) {
            case "", "modern" -> false;
            case "legacy" -> true;
            default -> throw new TargetUriException("reference target path must be 'modern' or 'legacy', got '"
                    + uri.path() + "'");
        };
        uri.declare("ro", "features", "queues", "queueSize", "capacity", "disk", "serial", "image", "ram",
                "zoned", "zoneSectors", "maxOpen", "maxActive", "maxAppend", "conventional", "writeGranularity",
                "readOnlyZones", "offlineZones", "maxDiscardSectors", "maxDiscardSeg", "maxWriteZeroesSectors",
                "maxWriteZeroesSeg", "maxSecureEraseSectors", "maxSecureEraseSeg");
        BlockDeviceConfig.Builder b = BlockDeviceConfig.builder().legacy(legacy);
        boolean ro = uri.bool("ro", false);
        b.readOnly(ro);
        long base = legacy ? BlockDeviceConfig.defaultLegacyFeatures() : BlockDeviceConfig.defaultModernFeatures();
        if (ro) {
            base |= FeatureBit.mask(FeatureBit.BLK_RO);
        }
        ZonedModel model = switch (uri.string("zoned", "none").toLowerCase(Locale.ROOT)) {
            case "none", "" -> ZonedModel.NONE;
            case "hm" -> ZonedModel.HOST_MANAGED;
            case "ha" -> ZonedModel.HOST_AWARE;
            default -> throw new TargetUriException("zoned must be hm, ha or none, got '" + uri.string("zoned", "")
                    + "'");
        };
        b.zoned(model, uri.intValue("zoneSectors", 256), uri.intValue("maxOpen", 3), uri.intValue("maxActive", 5),
                uri.intValue("maxAppend", 64), uri.intValue("writeGranularity", 512), uri.intValue("conventional", 1));
        b.readOnlyZones(indices(uri.string("readOnlyZones", "")));
        b.offlineZones(indices(uri.string("offlineZones", "")));
        b.features(features(uri.string("features", ""), base));
        if (uri.has("queues")) {
            b.queues(uri.intValue("queues", 1));
        }
        if (uri.has("queueSize")) {
            b.queueNumMax(uri.intValue("queueSize", 256));
        }
        if (uri.has("capacity") && uri.has("disk")) {
            throw new TargetUriException("give either capacity (sectors) or disk (bytes), not both");
        }
        if (uri.has("capacity")) {
            b.capacitySectors(uri.longValue("capacity", 0));
        }
        if (uri.has("disk")) {
            long bytes = uri.longValue("disk", 0);
            if (bytes % 512 != 0) {
                throw new TargetUriException("disk size must be a multiple of 512 bytes, got " + bytes);
            }
            b.capacitySectors(bytes / 512);
        }
        limits(uri, b, model);
        if (uri.has("serial")) {
            b.serial(uri.string("serial", ""));
        }
        if (uri.has("image")) {
            // {pid}: the JVM's process id, so that parallel test JVMs (a mutation run's workers) get a file each.
            String pid = Long.toString(ProcessHandle.current().pid());
            b.imageFile(Path.of(uri.string("image", "").replace("{pid}", pid)));
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new TargetUriException("bad reference device option: " + e.getMessage());
        }
    }

    /**
     * The per-type limits of DISCARD, WRITE_ZEROES and SECURE_ERASE ({@code max*Sectors}, {@code max*Seg}); a type
     * whose two options are both absent keeps the builder's defaults (so a zoned device keeps its zone-sized
     * secure-erase alignment).
     */
    private static void limits(TargetUri uri, BlockDeviceConfig.Builder b, ZonedModel model) {
        BlockDeviceConfig d = BlockDeviceConfig.builder().build();
        if (uri.has("maxDiscardSectors") || uri.has("maxDiscardSeg")) {
            b.discardLimits(uri.intValue("maxDiscardSectors", d.maxDiscardSectors()),
                    uri.intValue("maxDiscardSeg", d.maxDiscardSeg()), d.discardSectorAlignment());
        }
        if (uri.has("maxWriteZeroesSectors") || uri.has("maxWriteZeroesSeg")) {
            b.writeZeroesLimits(uri.intValue("maxWriteZeroesSectors", d.maxWriteZeroesSectors()),
                    uri.intValue("maxWriteZeroesSeg", d.maxWriteZeroesSeg()), d.writeZeroesMayUnmap());
        }
        if (uri.has("maxSecureEraseSectors") || uri.has("maxSecureEraseSeg")) {
            int alignment = model.zoned() ? uri.intValue("zoneSectors", 256) : d.secureEraseSectorAlignment();
            b.secureEraseLimits(uri.intValue("maxSecureEraseSectors", d.maxSecureEraseSectors()),
                    uri.intValue("maxSecureEraseSeg", d.maxSecureEraseSeg()), alignment);
        }
    }

    private static int[] indices(String list) {
        String s = list.strip();
        if (s.isEmpty()) {
            return new int[0];
        }
        try {
            return java.util.Arrays.stream(s.split(",")).map(String::strip).mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            throw new TargetUriException("zone list must be comma-separated zone indices, got '" + s + "'");
        }
    }

    /** Applies a feature edit list ({@code +NAME,-NAME}) or a replacement mask ({@code 0x...}) to {@code base}. */
    static long features(String spec, long base) {
        String s = spec.strip();
        if (s.isEmpty()) {
            return base;
        }
        if (s.startsWith("0x") || s.startsWith("0X")) {
            try {
                return Long.parseUnsignedLong(s.substring(2), 16);
            } catch (NumberFormatException e) {
                throw new TargetUriException("bad feature mask '" + s + "'");
            }
        }
        long f = base;
        for (String item : s.split(",")) {
            String t = item.strip();
            if (t.isEmpty()) {
                continue;
            }
            char op = t.charAt(0);
            if (op != '+' && op != '-') {
                throw new TargetUriException("feature edit '" + t + "' must start with + or -");
            }
            long m = FeatureBit.mask(bit(t.substring(1)));
            f = op == '+' ? f | m : f & ~m;
        }
        return f;
    }

    private static int bit(String name) {
        String n = name.strip().toUpperCase(Locale.ROOT);
        if (n.matches("\\d+")) {
            int b = Integer.parseInt(n);
            if (b > 63) {
                throw new TargetUriException("feature bit out of range: " + b);
            }
            return b;
        }
        for (int b = 0; b < 64; b++) {
            String full = FeatureBit.name(b);
            if (full.equals(n) || full.endsWith("_F_" + n) || full.equals("VIRTIO_BLK_F_" + n)
                    || full.equals("VIRTIO_F_" + n)) {
                return b;
            }
        }
        throw new TargetUriException("unknown feature '" + name + "'");
    }
}
