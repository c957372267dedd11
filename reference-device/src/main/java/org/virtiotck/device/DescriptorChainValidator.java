package org.virtiotck.device;

import static org.virtiotck.spec.SplitRing.*;

import org.virtiotck.memory.GuestMemory;
import org.virtiotck.queue.Descriptor;

/**
 * Every structural check on guest-supplied ring data lives here (§2.7.5-2.7.7): ring placement, the
 * available index, descriptor indices, chain length (loop protection), buffer placement inside RAM,
 * readable-before-writable order and the indirect-descriptor rules. A failure leaves {@link #ruleId} (a
 * driver rule id, or null when the rule was already recorded when the queue was enabled) and
 * {@link #detail}; the transport answers it with DEVICE_NEEDS_RESET (status.dev.3, status.dev.4).
 *
 * <p>Every loop is bounded by the queue size or the indirect table size, so no guest input can make the
 * device spin.
 */
final class DescriptorChainValidator {
    /**
     * Largest indirect table accepted (split.dev.2 lets the device bound chain length). 32768 entries is
     * the largest queue size a split ring may have; a longer table breaks split.drv.3.
     */
    static final long MAX_INDIRECT_ENTRIES = MAX_QUEUE_SIZE;
    private static final long MAX_CHAIN_BYTES = 1L << 32;

    String ruleId;
    String detail;
    /** Bytes of the chain walked so far, and whether a device-writable descriptor came already. */
    private long total;
    private boolean sawWritable;

    private boolean fail(String id, String message) {
        ruleId = id;
        detail = message;
        return false;
    }

    /** The queue's size and ring placement (checked, and recorded as violations, when it was enabled). */
    boolean checkQueue(VirtQueue q, GuestMemory m) {
        int n = q.size;
        if (n == 0 || Integer.bitCount(n) != 1 || n > MAX_QUEUE_SIZE || n > q.maxSize) {
            return fail(null, "queue " + q.index + " has invalid size " + n + " (QueueNumMax " + q.maxSize + ")");
        }
        if (!q.layout().inside(m)) {
            return fail(null, "rings of " + q + " are not inside guest RAM");
        }
        return true;
    }

    /** At most a queue's worth of new entries can be pending; anything else is a corrupt or reversed idx. */
    boolean checkAvailIdx(VirtQueue q, int availIdx) {
        int pending = (availIdx - q.lastAvail) & 0xffff;
        if (pending <= q.size) {
            return true;
        }
        int back = (q.lastAvail - availIdx) & 0xffff;
        if (back <= q.size) {
            return fail("split.drv.11", "avail idx of queue " + q.index + " went backwards from " + q.lastAvail
                    + " to " + availIdx);
        }
        return fail("init.drv.9", "avail idx of queue " + q.index + " jumped from " + q.lastAvail + " to " + availIdx
                + ", exposing more than the queue size " + q.size + " (ring entries of exposed buffers overwritten)");
    }

    /**
     * Walks the chain starting at {@code head} into {@code out}. Reads descriptors only; never writes them
     * (split.dev.6).
     */
    boolean walk(VirtQueue q, int head, boolean indirectNegotiated, GuestMemory m, DescriptorChain out) {
        out.clear(head);
        int n = q.size;
        if (head >= n) {
            return fail("split.drv.8", "available ring names head " + head + " outside the " + n
                    + "-entry descriptor table of queue " + q.index);
        }
        total = 0;
        sawWritable = false;
        int idx = head;
        for (int count = 1; ; count++) {
            if (count > n) {
                return fail("split.drv.8", "chain from head " + head + " has more than " + n
                        + " descriptors (longer than the queue, or a loop)");
            }
            Descriptor d = Descriptor.read(m, q.descAddr + Descriptor.offset(idx));
            long addr = d.addr();
            long len = d.len();
            out.descriptors++;
            if (d.indirect()) {
                // split.dev.7: the WRITE flag of the pointing descriptor is ignored.
                if (!indirectNegotiated) {
                    return fail("split.drv.6", "descriptor " + idx + " has INDIRECT but VIRTIO_F_INDIRECT_DESC "
                            + "was not negotiated");
                }
                if (d.hasNext()) {
                    return fail("split.drv.9", "descriptor " + idx + " has both INDIRECT and NEXT");
                }
                if (len == 0 || len % DESC_SIZE != 0) {
                    return fail("split.drv.6", "indirect descriptor " + idx + " has length " + len
                            + ", not a non-zero multiple of 16 (no exact catalog row; nearest)");
                }
                long entries = len / DESC_SIZE;
                if (entries > MAX_INDIRECT_ENTRIES) {
                    return fail("split.drv.3", "indirect table of " + entries + " entries exceeds the device "
                            + "limit of " + MAX_INDIRECT_ENTRIES + " (split.dev.2)");
                }
                if (!m.contains(addr, len)) {
                    return fail("reserved.drv.5", "indirect table [0x" + Long.toHexString(addr) + ", +0x"
                            + Long.toHexString(len) + ") is not inside guest RAM");
                }
                // split.dev.8: an indirect descriptor may end a chain of direct ones.
                return walkIndirect(addr, (int) entries, head, m, out);
            }
            if (!take(d, m, out, "descriptor ", idx)) {
                return false;
            }
            if (!d.hasNext()) {
                return true;
            }
            idx = d.next();
            if (idx >= n) {
                return fail("split.drv.8", "descriptor chain from head " + head + " links to index " + idx
                        + " outside the " + n + "-entry table");
            }
        }
    }

    private boolean walkIndirect(long table, int entries, int head, GuestMemory m, DescriptorChain out) {
        int idx = 0;
        for (int count = 1; ; count++) {
            if (count > entries) {
                return fail("split.drv.4", "indirect table of chain " + head + " loops (more than " + entries
                        + " steps)");
            }
            Descriptor d = Descriptor.read(m, table + Descriptor.offset(idx));
            out.descriptors++;
            if (d.indirect()) {
                return fail("split.drv.7", "indirect table entry " + idx + " of chain " + head + " has INDIRECT");
            }
            if (!take(d, m, out, "indirect entry ", idx)) {
                return false;
            }
            if (!d.hasNext()) {
                return true;
            }
            idx = d.next();
            if (idx >= entries) {
                return fail("split.drv.8", "indirect entry of chain " + head + " links to " + idx
                        + " outside the " + entries + "-entry table (no exact catalog row; nearest)");
            }
        }
    }

    /**
     * Checks one buffer descriptor against the chain so far and appends it to {@code out}; {@code kind} and
     * {@code idx} name it in a failure's words (joined only when a chain breaks a rule, not per descriptor).
     */
    private boolean take(Descriptor d, GuestMemory m, DescriptorChain out, String kind, int idx) {
        if (!checkBuffer(d.addr(), d.len(), d.writable(), m, kind, idx)) {
            return false;
        }
        sawWritable |= d.writable();
        total += d.len();
        out.add(d.addr(), d.len(), d.writable());
        return true;
    }

    private boolean checkBuffer(long addr, long len, boolean writable, GuestMemory m, String kind, int idx) {
        if (!writable && sawWritable) {
            return fail("split.drv.2", kind + idx + " is device-readable but follows a device-writable descriptor");
        }
        if (total + len > MAX_CHAIN_BYTES) {
            return fail("split.drv.4", "chain lengths add up to more than 2^32 bytes at " + kind + idx);
        }
        // A zero-length buffer touches nothing, so its address does not matter.
        if (len != 0 && !m.contains(addr, len)) {
            return fail("reserved.drv.5", kind + idx + " buffer [0x" + Long.toHexString(addr) + ", +0x"
                    + Long.toHexString(len) + ") is not inside guest RAM");
        }
        return true;
    }
}
