package org.virtiotck.tck.driver;

import java.util.ArrayList;
import java.util.List;
import org.virtiotck.spec.Blk;
import org.virtiotck.tck.driver.SplitQueue.Buf;

/**
 * How a block request is cut into descriptors. A device must not depend on any particular cut (split.dev.1),
 * so the suites send the same request in several layouts.
 */
public enum ChainLayout {
    /** Header, data and status each in their own descriptor: the classic Linux layout. */
    SEPARATE,
    /** Header cut into two descriptors and data cut into one descriptor per 512-byte sector. */
    FRAGMENTED,
    /** Header and write data share one descriptor; read data and status share one descriptor. */
    MERGED,
    /** The whole chain in one indirect table (needs VIRTIO_F_INDIRECT_DESC). */
    INDIRECT,
    /** Header direct, the rest in a final indirect table (split.dev.8). */
    DIRECT_THEN_INDIRECT;

    public boolean needsIndirect() {
        return this == INDIRECT || this == DIRECT_THEN_INDIRECT;
    }

    /**
     * Cuts a request into buffers, readable ones first: the header of {@code headerLen} bytes at {@code hdr}
     * followed by {@code outLen} bytes of data, then {@code inLen} writable bytes at {@code in} followed by the
     * status byte. INDIRECT and DIRECT_THEN_INDIRECT cut like SEPARATE; where the table goes is the queue's job.
     */
    public List<Buf> cut(long hdr, int headerLen, int outLen, long in, int inLen) {
        long status = in + inLen;
        List<Buf> readable = new ArrayList<>();
        List<Buf> writable = new ArrayList<>();
        switch (this) {
            case MERGED -> {
                readable.add(Buf.readable(hdr, headerLen + outLen));
                writable.add(Buf.writable(in, inLen + 1));
            }
            case FRAGMENTED -> {
                readable.add(Buf.readable(hdr, 8));
                readable.add(Buf.readable(hdr + 8, 8));
                addSectorPieces(readable, hdr + headerLen, outLen, false);
                addSectorPieces(writable, in, inLen, true);
                writable.add(Buf.writable(status, 1));
            }
            default -> {
                readable.add(Buf.readable(hdr, headerLen));
                if (outLen > 0) {
                    readable.add(Buf.readable(hdr + headerLen, outLen));
                }
                if (inLen > 0) {
                    writable.add(Buf.writable(in, inLen));
                }
                writable.add(Buf.writable(status, 1));
            }
        }
        List<Buf> all = new ArrayList<>(readable);
        all.addAll(writable);
        return all;
    }

    private static void addSectorPieces(List<Buf> into, long gpa, int len, boolean writable) {
        for (int off = 0; off < len; off += Blk.SECTOR_SIZE) {
            into.add(new Buf(gpa + off, Math.min(Blk.SECTOR_SIZE, len - off), writable));
        }
    }
}
