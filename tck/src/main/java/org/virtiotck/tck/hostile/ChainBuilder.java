package org.virtiotck.tck.hostile;

import static org.virtiotck.spec.SplitRing.DESC_F_INDIRECT;
import static org.virtiotck.spec.SplitRing.DESC_F_NEXT;
import static org.virtiotck.spec.SplitRing.DESC_F_WRITE;

import java.util.ArrayList;
import java.util.List;
import org.virtiotck.queue.Descriptor;
import org.virtiotck.spec.SplitRing;
import org.virtiotck.tck.driver.GuestRam;
import org.virtiotck.tck.driver.SplitQueue;
import org.virtiotck.tck.driver.SplitQueue.Buf;

/**
 * Builds a descriptor chain the way a hostile driver would: buffers are appended in order (NEXT is set on all but
 * the last one), then single descriptors can be bent (flags, next, length) before the chain is written directly
 * into reserved descriptor-table slots or into an indirect table.
 */
public final class ChainBuilder {
    private static final int AUTO = Integer.MIN_VALUE;

    private final HostileRun run;
    private final SplitQueue q;
    private final List<long[]> descs = new ArrayList<>(); // addr, len, flags, next, nextKind (0 auto, 1 raw, 2 link)
    private int[] ids;
    private long table = -1;

    ChainBuilder(HostileRun run, SplitQueue q) {
        this.run = run;
        this.q = q;
    }

    /** A device-readable buffer. */
    public ChainBuilder r(long addr, long len) {
        descs.add(new long[] {addr, len, 0, AUTO, 0});
        return this;
    }

    /** A device-writable buffer. */
    public ChainBuilder w(long addr, long len) {
        descs.add(new long[] {addr, len, DESC_F_WRITE, AUTO, 0});
        return this;
    }

    public int size() {
        return descs.size();
    }

    /** Replaces descriptor {@code i}'s flags (NEXT included: nothing is added automatically afterwards). */
    public ChainBuilder flags(int i, int flags) {
        descs.get(i)[2] = flags | 0x10000; // marker: explicit
        return this;
    }

    /** Sets NEXT on descriptor {@code i} with a raw next value (an index in the table it lives in). */
    public ChainBuilder nextRaw(int i, int value) {
        long[] d = descs.get(i);
        d[3] = value;
        d[4] = 1;
        return this;
    }

    /** Sets NEXT on descriptor {@code i} pointing at this chain's descriptor {@code j} (a loop when j <= i). */
    public ChainBuilder link(int i, int j) {
        long[] d = descs.get(i);
        d[3] = j;
        d[4] = 2;
        return this;
    }

    public ChainBuilder len(int i, long len) {
        descs.get(i)[1] = len;
        return this;
    }

    private int flagsOf(int i, boolean lastInItsTable) {
        long[] d = descs.get(i);
        if ((d[2] & 0x10000) != 0) {
            return (int) (d[2] & 0xffff);
        }
        int f = (int) d[2];
        if (d[4] != 0 || !lastInItsTable) {
            f |= DESC_F_NEXT;
        }
        return f;
    }

    /** Writes the whole chain into free descriptor-table slots; returns the head. */
    public int direct() {
        ids = reserve(descs.size());
        for (int i = 0; i < descs.size(); i++) {
            long[] d = descs.get(i);
            boolean last = i == descs.size() - 1;
            int next = d[4] == 1 ? (int) d[3] : d[4] == 2 ? ids[(int) d[3]] : last ? 0 : ids[i + 1];
            q.writeDescriptor(ids[i], d[0], (int) d[1], flagsOf(i, last), next);
        }
        return ids[0];
    }

    /**
     * Writes descriptors [0, prefix) directly, followed by one INDIRECT descriptor (with {@code extraFlags}, and
     * of length {@code tableLen}, or 16 x entries when negative) pointing at a table that holds the rest.
     * Returns the head.
     */
    public int indirect(int prefix, int extraFlags, long tableLen) {
        int n = descs.size() - prefix;
        GuestRam ram = run.driver().ram();
        table = ram.alloc(Math.max(Descriptor.offset(n), Descriptor.SIZE), SplitRing.DESC_ALIGN);
        byte[] e = new byte[Descriptor.SIZE];
        for (int k = 0; k < n; k++) {
            int i = prefix + k;
            long[] d = descs.get(i);
            boolean last = k == n - 1;
            int next = d[4] == 1 ? (int) d[3] : d[4] == 2 ? (int) d[3] - prefix : last ? 0 : k + 1;
            Descriptor.encode(e, 0, d[0], d[1], flagsOf(i, last), next);
            ram.write(table + Descriptor.offset(k), e);
        }
        ids = reserve(prefix + 1);
        for (int i = 0; i < prefix; i++) {
            long[] d = descs.get(i);
            int next = d[4] == 1 ? (int) d[3] : ids[i + 1];
            q.writeDescriptor(ids[i], d[0], (int) d[1], flagsOf(i, false), next);
        }
        long len = tableLen >= 0 ? tableLen : Descriptor.offset(n);
        int pflags = DESC_F_INDIRECT | extraFlags;
        int pnext = (extraFlags & DESC_F_NEXT) != 0 ? ids[0] : 0;
        q.writeDescriptor(ids[prefix], table, (int) len, pflags, pnext);
        return ids[0];
    }

    /**
     * Like {@link #indirect(int, int, long)} with no direct prefix, but the INDIRECT descriptor also carries NEXT
     * pointing at descriptor-table slot {@code nextId} (forbidden by split.drv.9).
     */
    public int indirectWithNext(int nextId) {
        int head = indirect(0, 0, -1);
        q.writeDescriptor(ids[0], table, (int) Descriptor.offset(descs.size()), DESC_F_INDIRECT | DESC_F_NEXT, nextId);
        return head;
    }

    /** The whole chain in one indirect table. */
    public int indirect() {
        return indirect(0, 0, -1);
    }

    /** Descriptor-table ids used by the last {@link #direct()} / {@link #indirect} (head first). */
    public int[] ids() {
        return ids.clone();
    }

    /** Guest address of the indirect table, or -1. */
    public long table() {
        return table;
    }

    /** Takes {@code n} descriptor-table slots from the careful driver's free list (so its requests never reuse them). */
    private int[] reserve(int n) {
        SplitQueue q = run.q();
        List<Buf> dummy = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            dummy.add(Buf.readable(0, 0));
        }
        int head = q.addChain(dummy);
        return q.chain(head);
    }
}
