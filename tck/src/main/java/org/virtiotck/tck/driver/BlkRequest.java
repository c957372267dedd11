package org.virtiotck.tck.driver;

import org.virtiotck.spec.Blk;

/**
 * A virtio-blk request (§5.2.6): a device-readable header {type, reserved, sector}, device-readable data
 * ({@code out}), device-writable data ({@code inLength} bytes) and the one-byte status.
 */
public record BlkRequest(int type, int reserved, long sector, byte[] out, int inLength, ChainLayout layout) {

    public BlkRequest {
        out = out == null ? new byte[0] : out;
        layout = layout == null ? ChainLayout.SEPARATE : layout;
    }

    public static BlkRequest read(long sector, int bytes) {
        return new BlkRequest(Blk.T_IN, 0, sector, null, bytes, ChainLayout.SEPARATE);
    }

    public static BlkRequest write(long sector, byte[] data) {
        return new BlkRequest(Blk.T_OUT, 0, sector, data, 0, ChainLayout.SEPARATE);
    }

    public static BlkRequest flush() {
        return new BlkRequest(Blk.T_FLUSH, 0, 0, null, 0, ChainLayout.SEPARATE);
    }

    public static BlkRequest getId() {
        return new BlkRequest(Blk.T_GET_ID, 0, 0, null, Blk.ID_BYTES, ChainLayout.SEPARATE);
    }

    public static BlkRequest getLifetime() {
        return new BlkRequest(Blk.T_GET_LIFETIME, 0, 0, null, Blk.LIFETIME_SIZE, ChainLayout.SEPARATE);
    }

    /** DISCARD, WRITE_ZEROES or SECURE_ERASE with the given 16-byte segments. */
    public static BlkRequest ranges(int type, Segment... segments) {
        byte[] data = new byte[segments.length * Blk.SEGMENT_SIZE];
        for (int i = 0; i < segments.length; i++) {
            Le.put(data, i * Blk.SEGMENT_SIZE, 8, segments[i].sector());
            Le.put(data, i * Blk.SEGMENT_SIZE + 8, 4, segments[i].sectors());
            Le.put(data, i * Blk.SEGMENT_SIZE + 12, 4, segments[i].flags());
        }
        return new BlkRequest(type, 0, 0, data, 0, ChainLayout.SEPARATE);
    }

    public static BlkRequest of(int type, long sector, byte[] out, int inLength) {
        return new BlkRequest(type, 0, sector, out, inLength, ChainLayout.SEPARATE);
    }

    public BlkRequest withLayout(ChainLayout l) {
        return new BlkRequest(type, reserved, sector, out, inLength, l);
    }

    public BlkRequest withReserved(int r) {
        return new BlkRequest(type, r, sector, out, inLength, layout);
    }

    public byte[] header() {
        byte[] h = new byte[Blk.HEADER_SIZE];
        Le.put(h, 0, 4, type);
        Le.put(h, 4, 4, reserved);
        Le.put(h, 8, 8, sector);
        return h;
    }

    /**
     * Whether the request changes the disk (OUT, DISCARD, WRITE_ZEROES, SECURE_ERASE, ZONE_APPEND and the zone
     * management requests): the requests a read-only disk fails (blk.dev.21, blk.dev.22).
     */
    public boolean writesDisk() {
        return switch (type) {
            case Blk.T_OUT, Blk.T_DISCARD, Blk.T_WRITE_ZEROES, Blk.T_SECURE_ERASE, Blk.T_ZONE_APPEND,
                 Blk.T_ZONE_OPEN, Blk.T_ZONE_CLOSE, Blk.T_ZONE_FINISH, Blk.T_ZONE_RESET, Blk.T_ZONE_RESET_ALL -> true;
            default -> false;
        };
    }

    /** One DISCARD / WRITE_ZEROES / SECURE_ERASE range. */
    public record Segment(long sector, int sectors, int flags) {}

    @Override
    public String toString() {
        return Blk.typeName(type) + "(sector=" + sector + ", out=" + out.length + "B, in=" + inLength + "B, "
                + layout + ")";
    }
}
