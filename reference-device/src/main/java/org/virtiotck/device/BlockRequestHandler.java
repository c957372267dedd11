package org.virtiotck.device;

import static org.virtiotck.spec.Blk.*;
import static org.virtiotck.spec.FeatureBit.*;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.virtiotck.memory.GuestMemory;

/**
 * Executes one virtio-blk request (§5.2.6) carried by a validated {@link DescriptorChain}.
 *
 * <p>Framing (split.dev.1): the device-readable bytes are one stream (16-byte header, then data) and the
 * device-writable bytes another (data, then the status byte as the very last byte). Descriptor boundaries
 * carry no meaning.
 *
 * <p>Used length: the device always writes the whole writable part — data it produced, zero padding for
 * the rest (also on errors, and for an IN that failed), then the status byte — and reports exactly that
 * many bytes (split.dev.15, split.dev.16). For a well-formed request this is data + 1 for IN/GET_ID/GET_LIFETIME and
 * 1 for everything else.
 *
 * <p>Structural choices: a chain with no device-writable byte (nowhere to put the status) or with fewer than
 * 16 device-readable bytes (no complete header) cannot be completed within the protocol, so it is treated
 * as a device error that needs a reset (status.dev.3), as QEMU does.
 *
 * <p>Semantic errors complete with a status byte: IOERR for bad ranges, sizes and limits; UNSUPP for
 * unknown or unnegotiated request types and flags. With VIRTIO_BLK_F_ZONED negotiated, IN, OUT and the zone
 * request types go to {@link ZoneRequestHandler}, which adds the zoned status codes 3..6.
 */
final class BlockRequestHandler {
    private static final int MAX_SCRATCH = 64 * 1024;

    private final MmioTransport t;
    private final BlockBackend backend;
    private final GuestMemory memory;
    private final byte[] header = new byte[HEADER_SIZE];
    private final byte[] seg = new byte[SEGMENT_SIZE];
    /** Data bytes written into the writable stream by the current request (before padding). */
    long produced;
    private byte[] scratch = new byte[0];
    private final byte[] serialBytes;
    /** Why the last {@link #handle} returned -1. */
    String structuralError;
    /** Zone semantics of a zoned device (HM or HA), or null; its zones outlive virtio resets (media state). */
    final ZoneRequestHandler zoned;

    BlockRequestHandler(MmioTransport transport, BlockBackend backend) {
        this.t = transport;
        this.backend = backend;
        this.memory = transport.memory;
        byte[] id = new byte[ID_BYTES];
        byte[] s = transport.config.serial().getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(s, 0, id, 0, Math.min(s.length, ID_BYTES)); // NUL padded, no terminator at 20 (blk-desc.dev.12)
        this.serialBytes = id;
        this.zoned = transport.config.zoned()
                ? new ZoneRequestHandler(this, transport, new ZonedState(transport.config)) : null;
    }

    /** Whether requests follow the zoned semantics: a zoned device with VIRTIO_BLK_F_ZONED negotiated. */
    private boolean zonedMode() {
        return zoned != null && t.negotiatedBit(BLK_ZONED);
    }

    BlockBackend backend() {
        return backend;
    }

    private byte[] scratch(long wanted) {
        int n = (int) Math.min(Math.max(wanted, 512), MAX_SCRATCH);
        if (scratch.length < n) {
            scratch = new byte[Math.max(n, Math.min(MAX_SCRATCH, scratch.length * 2))];
        }
        return scratch;
    }

    /** Runs the request; returns the used length, or -1 for a structural error ({@link #structuralError}). */
    long handle(DescriptorChain c) {
        long writable = c.writableBytes();
        long readable = c.readableBytes();
        if (writable == 0) {
            structuralError = "request at head " + c.head + " has no device-writable byte for the status";
            return -1;
        }
        if (readable < HEADER_SIZE) {
            structuralError = "request at head " + c.head + " has only " + readable
                    + " device-readable bytes, less than the 16-byte header";
            return -1;
        }
        c.startRead();
        c.read(memory, header, 0, HEADER_SIZE);
        int type = le32(header, 0);
        long sector = le64(header, 8);
        long dataOut = readable - HEADER_SIZE;
        long dataIn = writable - 1;
        if (t.legacy && !t.negotiatedBit(ANY_LAYOUT)
                && (c.firstReadableLength() != HEADER_SIZE || c.lastWritableLength() != 1)) {
            t.checker.record("blk-legacy.drv.9", "without ANY_LAYOUT the header must be its own descriptor and the "
                    + "status a separate 1-byte descriptor (header descriptor " + c.firstReadableLength()
                    + " bytes, status descriptor " + c.lastWritableLength() + " bytes)");
        }
        c.startWrite();
        produced = 0;
        int status;
        try {
            status = switch (type) {
                case T_IN -> zonedMode() ? zoned.in(c, sector, dataIn) : in(c, sector, dataIn);
                case T_OUT -> zonedMode() ? zoned.out(c, sector, dataOut) : out(c, sector, dataOut);
                case T_FLUSH -> flush(sector, dataOut, dataIn);
                case T_GET_ID -> getId(c, dataIn);
                case T_GET_LIFETIME -> getLifetime(c, dataIn);
                case T_DISCARD -> segments(c, T_DISCARD, BLK_DISCARD, dataOut);
                case T_WRITE_ZEROES -> segments(c, T_WRITE_ZEROES, BLK_WRITE_ZEROES, dataOut);
                case T_SECURE_ERASE -> segments(c, T_SECURE_ERASE, BLK_SECURE_ERASE, dataOut);
                default -> {
                    if (t.legacy && type == T_FLUSH_OUT_LEGACY) {
                        yield flush(sector, dataOut, dataIn);
                    }
                    if (zonedMode() && isZoneType(type)) {
                        yield zoned.handle(c, type, sector, dataOut, dataIn);
                    }
                    // Unknown types, zone types without ZONED (blk.dev.37), legacy SCSI/BARRIER: UNSUPP.
                    yield S_UNSUPP;
                }
            };
        } catch (UncheckedIOException | IndexOutOfBoundsException e) {
            status = S_IOERR; // host-side I/O failure
        }
        long pad = dataIn - produced;
        if (pad > 0) {
            c.fill(memory, pad, (byte) 0);
        }
        c.writeLastByte(memory, status);
        return writable;
    }

    private boolean rangeOk(long sector, long bytes) {
        long capacity = t.blkConfig.capacity();
        long sectors = bytes / SECTOR_SIZE;
        return Long.compareUnsigned(sector, capacity) <= 0 && sectors <= capacity - sector;
    }

    private static boolean isZoneType(int type) {
        for (int z : ZONE_TYPES) {
            if (z == type) {
                return true;
            }
        }
        return false;
    }

    /** The length and range checks every IN and OUT gets (blk.drv.16, blk.drv.12); false means IOERR. */
    boolean checkReadWrite(String name, long sector, long len) {
        if (len % SECTOR_SIZE != 0) {
            t.checker.record("blk.drv.16", name + " data length " + len + " is not a multiple of 512");
            return false;
        }
        if (!rangeOk(sector, len)) {
            t.checker.record("blk.drv.12", name + " of " + len / SECTOR_SIZE + " sectors at sector "
                    + Long.toUnsignedString(sector) + " extends past capacity " + t.blkConfig.capacity());
            return false;
        }
        return true;
    }

    /**
     * Plain IN (no ZONED negotiated). A host-aware device read by a non-zoned driver still reads unwritten
     * sectors as the fill pattern; OFFLINE zones cannot be read (IOERR, there is no zoned status here).
     */
    private int in(DescriptorChain c, long sector, long len) {
        if (!checkReadWrite("IN", sector, len)) {
            return S_IOERR;
        }
        if (zoned != null && len > 0 && zoned.zones.anyInState(sector, len / SECTOR_SIZE, ZS_OFFLINE)) {
            return S_IOERR;
        }
        readFromDisk(c, sector * SECTOR_SIZE, len);
        return S_OK;
    }

    /** Disk to guest: {@code len} bytes from byte offset {@code pos}; unwritten zone data reads as zeros. */
    void readFromDisk(DescriptorChain c, long pos, long len) {
        byte[] buf = scratch(len);
        while (produced < len) {
            int n = (int) Math.min(buf.length, len - produced);
            backend.read(pos, buf, 0, n);
            if (zoned != null) {
                zoned.zones.maskUnwritten(pos, buf, 0, n); // blk.dev.56, blk.dev.57
            }
            c.write(memory, buf, 0, n);
            produced += n;
            pos += n;
        }
    }

    /** Guest to disk: the next {@code len} readable bytes to byte offset {@code pos}, durable if writethrough. */
    void writeToDisk(DescriptorChain c, long pos, long len) {
        byte[] buf = scratch(len);
        long done = 0;
        while (done < len) {
            int n = (int) Math.min(buf.length, len - done);
            c.read(memory, buf, 0, n);
            backend.write(pos, buf, 0, n);
            done += n;
            pos += n;
        }
        if (t.writethrough()) {
            backend.flush(); // blk.dev.31: durable before completion
        }
    }

    /** Plain OUT (no ZONED negotiated); on a host-aware device the zones still track what was written. */
    private int out(DescriptorChain c, long sector, long len) {
        if (t.config.readOnly()) {
            return S_IOERR; // blk.dev.21, blk.dev.22: RO offered, nothing written
        }
        if (!checkReadWrite("OUT", sector, len)) {
            return S_IOERR;
        }
        long sectors = len / SECTOR_SIZE;
        if (zoned != null && sectors > 0 && (zoned.zones.anyInState(sector, sectors, ZS_OFFLINE)
                || zoned.zones.anyInState(sector, sectors, ZS_RDONLY))) {
            return S_IOERR;
        }
        writeToDisk(c, sector * SECTOR_SIZE, len);
        if (zoned != null) {
            zoned.zones.noteUnzonedWrite(sector, sectors);
        }
        return S_OK;
    }

    private int flush(long sector, long dataOut, long dataIn) {
        if (!t.config.offers(BLK_FLUSH)) {
            return S_UNSUPP;
        }
        if (sector != 0) {
            t.checker.record("blk.drv.14", "FLUSH with sector " + Long.toUnsignedString(sector) + " (must be 0); served");
        }
        if (dataOut != 0 || dataIn != 0) {
            t.checker.record("blk.drv.15", "FLUSH carries " + dataOut + " data-out and " + dataIn
                    + " data-in bytes; served");
        }
        backend.flush(); // blk.dev.32
        return S_OK;
    }

    private int getId(DescriptorChain c, long len) {
        if (len != ID_BYTES) {
            t.checker.record("blk.drv.18", "GET_ID data buffer is " + len + " bytes, not 20");
        }
        if (len < ID_BYTES) {
            return S_IOERR; // our choice: a truncated id would be silently wrong
        }
        c.write(memory, serialBytes, 0, ID_BYTES);
        produced = ID_BYTES;
        return S_OK;
    }

    private int getLifetime(DescriptorChain c, long len) {
        if (!t.negotiatedBit(BLK_LIFETIME)) {
            return S_UNSUPP;
        }
        if (len < LIFETIME_SIZE) {
            return S_IOERR;
        }
        BlockDeviceConfig cfg = t.config;
        byte[] b = scratch(LIFETIME_SIZE);
        putLe16(b, 0, cfg.preEolInfo());       // values validated by the config (blk.dev.36)
        putLe16(b, 2, cfg.lifetimeEstTypA());
        putLe16(b, 4, cfg.lifetimeEstTypB());
        c.write(memory, b, 0, LIFETIME_SIZE);
        produced = LIFETIME_SIZE;
        return S_OK;
    }

    /**
     * DISCARD, WRITE_ZEROES and SECURE_ERASE: validate every segment first (so a bad request changes
     * nothing), then execute. UNSUPP wins over IOERR because an unknown flag means the request is not
     * understood at all (blk.dev.23, blk.dev.24).
     */
    private int segments(DescriptorChain c, int type, int feature, long len) {
        if (!t.negotiatedBit(feature)) {
            return S_UNSUPP;
        }
        if (t.config.readOnly()) {
            return S_IOERR; // our reading of blk.dev.21: these modify the disk, so they are write requests
        }
        String name = typeName(type);
        if (len == 0 || len % SEGMENT_SIZE != 0) {
            t.checker.record("blk.drv.17", name + " data length " + len + " is not a non-zero multiple of 16");
            return S_IOERR;
        }
        BlockDeviceConfig cfg = t.config;
        long maxSeg = switch (type) {
            case T_DISCARD -> cfg.maxDiscardSeg();
            case T_WRITE_ZEROES -> cfg.maxWriteZeroesSeg();
            default -> cfg.maxSecureEraseSeg();
        };
        long maxSectors = switch (type) {
            case T_DISCARD -> cfg.maxDiscardSectors();
            case T_WRITE_ZEROES -> cfg.maxWriteZeroesSectors();
            default -> cfg.maxSecureEraseSectors();
        };
        long count = len / SEGMENT_SIZE;
        if (count > maxSeg) {
            String id = switch (type) {
                case T_DISCARD -> "blk.drv.19";
                case T_WRITE_ZEROES -> "blk.drv.21";
                default -> "blk.drv.20";
            };
            t.checker.record(id, name + " carries " + count + " segments, more than the limit " + maxSeg);
            return S_IOERR;
        }
        boolean unsupported = false;
        boolean ioError = false;
        for (long i = 0; i < count; i++) {
            c.read(memory, seg, 0, SEGMENT_SIZE);
            long sector = le64(seg, 0);
            long num = le32(seg, 8) & 0xffffffffL;
            int flags = le32(seg, 12);
            if ((flags & ~SEGMENT_FLAG_UNMAP) != 0) {
                unsupported = true; // blk.dev.23
            }
            if (type == T_DISCARD && (flags & SEGMENT_FLAG_UNMAP) != 0) {
                t.checker.record("blk.drv.24", "DISCARD segment " + i + " has the unmap flag set");
                unsupported = true; // blk.dev.24
            }
            if (num > maxSectors || !rangeOk(sector, num * SECTOR_SIZE)) {
                ioError = true;
            }
        }
        if (unsupported) {
            return S_UNSUPP;
        }
        if (ioError) {
            return S_IOERR;
        }
        if (zoned != null && !zonedMode() && blockedByZones(c, count)) {
            return S_IOERR; // non-zoned use of a host-aware device: OFFLINE / READ_ONLY zones cannot change
        }
        if (zonedMode()) {
            int z = zonedSegments(c, type, count);
            if (z != S_OK) {
                return z;
            }
        }
        c.startRead();
        c.read(memory, seg, 0, HEADER_SIZE);
        for (long i = 0; i < count; i++) {
            c.read(memory, seg, 0, SEGMENT_SIZE);
            long off = le64(seg, 0) * SECTOR_SIZE;
            long bytes = (le32(seg, 8) & 0xffffffffL) * SECTOR_SIZE;
            if (zonedMode() && type == T_SECURE_ERASE) {
                zoned.secureErase(off / SECTOR_SIZE, bytes / SECTOR_SIZE); // blk.dev.59
                continue;
            }
            if (zoned != null && !zonedMode()) {
                zoned.zones.noteUnzonedWrite(off / SECTOR_SIZE, bytes / SECTOR_SIZE);
            }
            if (type == T_DISCARD) {
                backend.discard(off, bytes);
            } else {
                // WRITE_ZEROES reads back as zeros whatever unmap says (blk.dev.27); SECURE_ERASE likewise.
                backend.writeZeroes(off, bytes);
            }
        }
        if (t.writethrough()) {
            backend.flush();
        }
        return S_OK;
    }

    /** Re-reads the (already validated) segments and checks each against the zones; nothing is changed. */
    private int zonedSegments(DescriptorChain c, int type, long count) {
        return eachSegment(c, count, (i, sector, num) -> {
            if (type == T_SECURE_ERASE) {
                zoned.rules.secureErase(i, sector, num, t.blkConfig.capacity());
            }
            return zoned.checkSegment(type, sector, num);
        });
    }

    private boolean blockedByZones(DescriptorChain c, long count) {
        return eachSegment(c, count, (i, sector, num) -> num > 0 && (zoned.zones.anyInState(sector, num, ZS_OFFLINE)
                || zoned.zones.anyInState(sector, num, ZS_RDONLY)) ? S_IOERR : S_OK) != S_OK;
    }

    /** What is checked of one segment {sector, num} at {@code index}: S_OK to go on, else the status to stop with. */
    private interface SegmentCheck {
        int check(long index, long sector, long num);
    }

    /** Re-reads the (already validated) segments in order until a check returns something other than S_OK. */
    private int eachSegment(DescriptorChain c, long count, SegmentCheck check) {
        c.startRead();
        c.read(memory, seg, 0, HEADER_SIZE);
        for (long i = 0; i < count; i++) {
            c.read(memory, seg, 0, SEGMENT_SIZE);
            int s = check.check(i, le64(seg, 0), le32(seg, 8) & 0xffffffffL);
            if (s != S_OK) {
                return s;
            }
        }
        return S_OK;
    }

    static int le32(byte[] b, int o) {
        return (b[o] & 0xff) | (b[o + 1] & 0xff) << 8 | (b[o + 2] & 0xff) << 16 | (b[o + 3] & 0xff) << 24;
    }

    static long le64(byte[] b, int o) {
        return (le32(b, o) & 0xffffffffL) | ((long) le32(b, o + 4) << 32);
    }

    static void putLe16(byte[] b, int o, int v) {
        b[o] = (byte) v;
        b[o + 1] = (byte) (v >>> 8);
    }
}
