package org.virtiotck.tck.hostile;

import static org.virtiotck.spec.MmioRegister.QUEUE_NOTIFY;

import org.virtiotck.spec.Blk;
import org.virtiotck.spec.SplitRing;
import org.virtiotck.tck.driver.Deadline;
import org.virtiotck.tck.driver.GuestRam;
import org.virtiotck.tck.driver.Le;
import org.virtiotck.tck.driver.Timeouts;

/**
 * Drives a queue the device accepted with an impossible size to the point of harm: once the first request on slot 0
 * came back, READ requests are sent until every avail-ring slot of the ring <em>as the driver declared it</em> has
 * been used once and every descriptor index of it has been a chain's head or body (three-descriptor chains
 * 0-2, 3-5, ..., the last one taking the 3 to 5 entries up to {@code size - 1}). A device that accepted the size but keeps QueueNumMax
 * entries of state crashes, writes past its rings or stops here; one that served its own size instead meets heads it
 * cannot know and may set DEVICE_NEEDS_RESET. Served requests share one header, data buffer and status byte (all
 * READs of sector 8), so only memory the device may write changes.
 *
 * <p>The avail ring is rewritten by the harness batch after batch; it is excluded from the canary check and compared
 * with a shadow copy at the end instead (a device must not write it either).
 */
public final class DeclaredRing {
    private static final int BATCH = 32;

    private final Arena a;
    private final int size;
    private final long desc;
    private final long avail;
    private final long used;
    private final long hdr;
    private final long data;
    private final long status;
    private int start = 1;

    /**
     * @param size  the QueueNum the driver wrote
     * @param desc  guest address of the descriptor table (room for {@code size} entries)
     * @param avail guest address of the avail ring; slot 0 holds head 0 and avail idx is 1
     * @param used  guest address of the used ring; the first request came back (used idx 1)
     */
    public DeclaredRing(Arena a, int size, long desc, long avail, long used, long hdr, long data, long status) {
        this.a = a;
        this.size = size;
        this.desc = desc;
        this.avail = avail;
        this.used = used;
        this.hdr = hdr;
        this.data = data;
        this.status = status;
    }

    /**
     * Starts from avail idx {@code idx} instead of 1 (nothing in flight: the device's used idx is {@code idx} too).
     */
    public DeclaredRing from(int idx) {
        start = idx & 0xffff;
        return this;
    }

    /**
     * Uses every declared slot; returns COMPLETED_OK when every request came back, the DEVICE_NEEDS_RESET reaction
     * when the device stopped with it, STOPPED_SILENTLY when a batch did not come back (harms are recorded on the
     * arena).
     */
    public Reaction useEverySlot() {
        if (size < 3) {
            return Reaction.COMPLETED_OK; // no slot beyond the one already used
        }
        GuestRam ram = a.driver().ram();
        // Chains of 3 descriptors (header, data, status) side by side; the last one takes the 3 to 5 entries left,
        // its 512 data bytes split over 1 to 3 descriptors, so every index is used and no chain overlaps another.
        java.util.List<Integer> heads = new java.util.ArrayList<>();
        byte[] table = new byte[16 * size];
        byte[] e = new byte[16];
        for (int s = 0; s < size; ) {
            int len = size - s < 6 ? size - s : 3;
            int pieces = len - 2;
            put(table, e, s, hdr, 16, SplitRing.DESC_F_NEXT, s + 1);
            for (int k = 0; k < pieces; k++) {
                int piece = k < pieces - 1 ? 512 / pieces : 512 - (pieces - 1) * (512 / pieces);
                put(table, e, s + 1 + k, data + (long) k * (512 / pieces), piece,
                        SplitRing.DESC_F_NEXT | SplitRing.DESC_F_WRITE, s + 2 + k);
            }
            put(table, e, s + len - 1, status, 1, SplitRing.DESC_F_WRITE, 0);
            heads.add(s);
            s += len;
        }
        int windows = heads.size();
        ram.write(desc, table);
        long availBytes = SplitRing.availRingBytes(size);
        byte[] shadow = ram.read(avail, (int) availBytes);
        a.allowWrite(avail, availBytes);
        a.baseline();
        int idx = start;
        int nextWindow = 1;
        int total = start + Math.max(size - 1, windows);
        a.driver().serviceInterrupt();
        while (idx < total) {
            int batch = Math.min(Math.min(BATCH, windows), total - idx); // a head is never in flight twice
            for (int i = 0; i < batch; i++) {
                int head = heads.get(nextWindow++ % windows);
                int slot = (idx + i) % size;
                Le.put(shadow, 4 + 2 * slot, 2, head);
                ram.putLe16(avail + 4 + 2L * slot, head);
            }
            idx += batch;
            Le.put(shadow, 2, 2, idx & 0xffff);
            ram.putLe16(avail + 2, idx & 0xffff);
            a.driver().mmio().write(QUEUE_NOTIFY, 0);
            Reaction r = await(idx & 0xffff);
            if (r != null) {
                a.note("stopped after " + ((ram.le16(used + 2) - start) & 0xffff) + " of " + (total - start)
                        + " requests through the declared ring of " + size);
                finish(shadow);
                return r;
            }
        }
        a.note("served " + (total - start) + " more requests through the declared ring of " + size);
        finish(shadow);
        return Reaction.COMPLETED_OK;
    }

    private static void put(byte[] table, byte[] e, int entry, long addr, int len, int flags, int next) {
        ChainBuilder.encode(e, addr, len, flags, next);
        System.arraycopy(e, 0, table, 16 * entry, 16);
    }

    /** Waits for used idx {@code target}; null when reached, else the reaction of a device that stopped. */
    private Reaction await(int target) {
        GuestRam ram = a.driver().ram();
        Deadline dl = Deadline.in(Timeouts.completion());
        for (int attempt = 0; ; attempt++) {
            if (ram.le16(used + 2) == target) {
                a.driver().serviceInterrupt();
                return null;
            }
            if (a.needsReset()) {
                return a.needsResetReaction();
            }
            if (dl.expired()) {
                return Reaction.STOPPED_SILENTLY;
            }
            dl.pause(attempt);
        }
    }

    private void finish(byte[] shadow) {
        a.driver().serviceInterrupt();
        a.checkMemory("after using every slot of the declared ring");
        byte[] now = a.driver().ram().read(avail, shadow.length);
        int at = java.util.Arrays.mismatch(shadow, now);
        if (at >= 0) {
            a.harm(Harm.MEMORY_CORRUPTION, "the avail ring changed under the driver at byte " + at);
        }
        if (a.driver().ram().u8(status) != Blk.S_OK) {
            a.note("status byte 0x" + Integer.toHexString(a.driver().ram().u8(status)) + " after the last batch");
        }
    }
}
