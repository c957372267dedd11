package org.virtiotck.tck.hostile;

import static org.virtiotck.spec.MmioRegister.*;
import static org.virtiotck.tck.hostile.Reaction.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.virtiotck.queue.Descriptor;
import org.virtiotck.queue.RingLayout;
import org.virtiotck.queue.UsedElem;
import org.virtiotck.spec.Blk;
import org.virtiotck.spec.FeatureBit;
import org.virtiotck.spec.SplitRing;
import org.virtiotck.tck.driver.BlkDriver;
import org.virtiotck.tck.driver.CompletionTimeout;
import org.virtiotck.tck.driver.BlkRequest;
import org.virtiotck.tck.driver.Completion;
import org.virtiotck.tck.driver.Deadline;
import org.virtiotck.tck.driver.GuestRam;
import org.virtiotck.tck.driver.SplitQueue;
import org.virtiotck.tck.driver.Timeouts;
import org.virtiotck.tck.spi.HostControl;

/**
 * Hostile scenarios on the shape of a queue (classes 9 to 11 of {@code HostileRingSuite}'s table): impossible
 * queue sizes, avail idx jumps and index wraparound with requests in flight.
 */
public final class QueueScenarios {
    private QueueScenarios() {}

    // ---------------------------------------------------------------- 9. queue sizes

    public static Reaction queueSize(HostileRun a, java.util.function.IntUnaryOperator sizeFromMax) {
        BlkDriver d = a.negotiated(HostileRun.DEFAULT_WANTED);
        d.mmio().write(QUEUE_SEL, 0);
        int max = d.mmio().read(QUEUE_NUM_MAX);
        int n = sizeFromMax.applyAsInt(max);
        // Room for the ring as declared (every slot is used below when the device accepts it) and for whatever size
        // the device may use instead (it may ignore the write and keep a size of its own).
        int room = Math.min(Math.max(Math.max(n, 4), max), 0xffff);
        GuestRam ram = d.ram();
        a.arm();
        long desc;
        long avail;
        long used;
        long area;
        long areaBytes;
        if (d.legacy()) {
            areaBytes = RingLayout.legacyBytes(room, BlkDriver.LEGACY_ALIGN) + 2L * BlkDriver.LEGACY_PAGE_SIZE;
            area = ram.alloc(areaBytes, BlkDriver.LEGACY_PAGE_SIZE);
            desc = area;
            avail = area + Descriptor.offset(Math.max(n, 4));
            used = RingLayout.legacy(room, area, BlkDriver.LEGACY_ALIGN).used();
        } else {
            desc = ram.alloc(SplitRing.descTableBytes(room), SplitRing.DESC_ALIGN);
            avail = ram.alloc(SplitRing.availRingBytes(room), SplitRing.AVAIL_ALIGN);
            used = ram.alloc(SplitRing.usedRingBytes(room), SplitRing.USED_ALIGN);
            area = used;
            areaBytes = SplitRing.usedRingBytes(room);
        }
        a.allowWrite(area, areaBytes);
        long hdr = a.header(Blk.T_IN, 8);
        long data = a.in(512);
        long st = a.status();
        byte[] chain = new byte[3 * Descriptor.SIZE];
        Descriptor.encode(chain, 0, hdr, 16, SplitRing.DESC_F_NEXT, 1);
        Descriptor.encode(chain, 16, data, 512, SplitRing.DESC_F_NEXT | SplitRing.DESC_F_WRITE, 2);
        Descriptor.encode(chain, 32, st, 1, SplitRing.DESC_F_WRITE, 0);
        ram.write(desc, chain);
        ram.putLe16(avail + RingLayout.RING_OFFSET, 0);
        ram.putLe16(avail + RingLayout.IDX_OFFSET, 1);
        d.placeQueue(0, n, desc, avail, used, true);
        if (a.needsReset()) {
            // Validating QueueNum when the queue is enabled: DRIVER_OK is clear, so no interrupt is owed (status.dev.4).
            a.note("DEVICE_NEEDS_RESET as soon as the queue was enabled");
            a.checkMemory("after the queue was enabled");
            return a.needsResetReaction();
        }
        d.driverOk();
        if (!d.legacy() && d.mmio().read(QUEUE_READY) == 0) {
            a.note("QueueReady reads 0");
        }
        if (notifyQueueZero(a, used)) {
            Reaction first = a.statusReaction(st);
            Reaction rest = new DeclaredRing(a, RingLayout.modern(n, desc, avail, used), hdr, data, st).useEverySlot();
            return rest == COMPLETED_OK ? first : rest;
        }
        if (a.needsReset()) {
            return a.needsResetReaction();
        }
        return REFUSED_QUEUE;
    }

    /**
     * Modern: an 8-entry queue whose descriptor-table memory has a ninth slot holding a well-formed descriptor. The
     * available ring names that slot as the head ({@code viaNext} false: the whole READ chain starts there), or the
     * data descriptor links to it ({@code viaNext}: it is the status descriptor). Index 8 is outside the table the
     * driver declared, so a device that bounds its indices by one too many serves the request.
     */
    public static Reaction plantedPastTable(HostileRun a, boolean viaNext) {
        BlkDriver d = a.negotiated(HostileRun.DEFAULT_WANTED);
        int n = 8;
        d.mmio().write(QUEUE_SEL, 0);
        int max = d.mmio().read(QUEUE_NUM_MAX);
        Assumptions.assumeTrue(max >= n, "QueueNumMax " + max + " is below 8");
        GuestRam ram = d.ram();
        a.arm();
        long desc = ram.alloc(SplitRing.descTableBytes(n + 1), SplitRing.DESC_ALIGN);
        long avail = ram.alloc(SplitRing.availRingBytes(n), SplitRing.AVAIL_ALIGN);
        long used = ram.alloc(SplitRing.usedRingBytes(n), SplitRing.USED_ALIGN);
        a.allowWrite(used, SplitRing.usedRingBytes(n));
        long hdr = a.header(Blk.T_IN, 8);
        long data = a.in(512);
        long st = a.status();
        if (viaNext) {
            a.untouchedStatusMeansNone(); // a device that stops at the bad link may give the chain back unanswered
        }
        int first = viaNext ? 0 : n;
        int second = 1;
        int third = viaNext ? n : 2;
        byte[] e = new byte[Descriptor.SIZE];
        Descriptor.encode(e, 0, hdr, 16, SplitRing.DESC_F_NEXT, second);
        ram.write(desc + Descriptor.offset(first), e);
        Descriptor.encode(e, 0, data, 512, SplitRing.DESC_F_NEXT | SplitRing.DESC_F_WRITE, third);
        ram.write(desc + Descriptor.offset(second), e);
        Descriptor.encode(e, 0, st, 1, SplitRing.DESC_F_WRITE, 0);
        ram.write(desc + Descriptor.offset(third), e);
        ram.putLe16(avail + RingLayout.RING_OFFSET, first);
        ram.putLe16(avail + RingLayout.IDX_OFFSET, 1);
        d.placeQueue(0, n, desc, avail, used, true);
        d.driverOk();
        if (notifyQueueZero(a, used)) {
            return a.statusReaction(st);
        }
        return a.needsReset() ? a.needsResetReaction() : STOPPED_SILENTLY;
    }

    /**
     * Takes the memory baseline, notifies queue 0 and waits (bounded) until its used ring at {@code used} holds an
     * entry or the device needs a reset; checks guest memory. Returns whether an entry came.
     */
    private static boolean notifyQueueZero(HostileRun a, long used) {
        a.baseline();
        a.driver().mmio().write(QUEUE_NOTIFY, 0);
        Deadline dl = Deadline.in(HostileRun.refusalWindow());
        long usedIdx = used + RingLayout.IDX_OFFSET;
        GuestRam ram = a.driver().ram();
        for (int attempt = 0; ram.le16(usedIdx) == 0 && !a.needsReset() && !dl.expired(); attempt++) {
            dl.pause(attempt);
        }
        a.checkMemory("after the notification");
        return ram.le16(usedIdx) != 0;
    }

    // ---------------------------------------------------------------- 10. avail idx jumps

    public static Reaction availJump(HostileRun a, int jump) {
        boolean legal = jump == 16;
        if (legal) {
            a.need(FeatureBit.INDIRECT_DESC);
        }
        BlkDriver d = a.init(HostileRun.DEFAULT_WANTED, 16);
        SplitQueue q = a.q();
        if (jump < 0) {
            for (int i = 0; i < 2; i++) {
                Completion c = d.read(8, 512);
                if (!c.ok()) {
                    throw new AssertionError("well-formed READ before the hostile step: " + c);
                }
            }
        }
        a.arm();
        int chains = legal ? 16 : 3;
        int[] heads = new int[chains];
        long[] status = new long[chains];
        for (int i = 0; i < chains; i++) {
            long hdr = a.header(Blk.T_IN, 8 + i);
            long data = a.in(512);
            status[i] = a.status();
            ChainBuilder c = a.chain().r(hdr, 16).w(data, 512).w(status[i], 1);
            heads[i] = legal ? c.indirect() : c.direct();
        }
        int start = q.availIdx();
        for (int i = 0; i < 16; i++) {
            q.putRingEntry(start + i, heads[i % chains]);
        }
        int target = jump < 0 ? start - 1 : start + jump;
        q.setAvailIdx(target);
        a.baseline();
        d.serviceInterrupt();
        d.clearSeenInterrupts();
        d.mmio().write(QUEUE_NOTIFY, 0);
        a.awaitActivity(q, legal ? Timeouts.completion() : HostileRun.refusalWindow());
        if (legal) {
            Deadline dl = Deadline.in(Timeouts.completion());
            for (int attempt = 0; q.pendingUsed() < 16 && !a.needsReset() && !dl.expired(); attempt++) {
                dl.pause(attempt);
            }
        }
        Reaction nr = a.needsReset() ? a.needsResetReaction() : null;
        int pending = q.pendingUsed();
        List<UsedElem> used = q.takeAllUsed();
        int[] count = new int[q.size() + 1];
        for (UsedElem e : used) {
            int k = indexOf(heads, e.id());
            if (k < 0) {
                a.harm(Harm.BOGUS_USED_ELEMENT, "used id " + e.id());
            } else if (++count[k] > 1) {
                a.harm(Harm.DOUBLE_PROCESSING, "chain " + e.id() + " used " + count[k] + " times (" + pending
                        + " used elements for " + chains + " chains)");
            }
        }
        if (nr != null) {
            return nr;
        }
        if (!used.isEmpty()) {
            Reaction worst = COMPLETED_OK;
            for (int i = 0; i < chains; i++) {
                if (count[i] > 0 && a.statusReaction(status[i]) != COMPLETED_OK) {
                    worst = a.statusReaction(status[i]);
                }
            }
            if (legal && used.size() != 16) {
                a.note(used.size() + " of 16 chains used");
                return STOPPED_SILENTLY;
            }
            return worst;
        }
        return STOPPED_SILENTLY;
    }

    static int indexOf(int[] a, int v) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == v) {
                return i;
            }
        }
        return -1;
    }

    // ---------------------------------------------------------------- 11. index wraparound

    /**
     * Brings the free-running indices of queue 0 to 65532 fast: 32 READ chains sharing one header, data buffer
     * and status byte, published and notified in batches.
     */
    static void fastForward(HostileRun a, int target) {
        BlkDriver d = a.driver();
        SplitQueue q = a.q();
        GuestRam ram = d.ram();
        long hdr = a.header(Blk.T_IN, 8);
        long data = a.in(512);
        long st = a.status();
        int n = Math.min(32, (q.freeDescriptors() - 16) / 3);
        int[] heads = new int[n];
        for (int i = 0; i < n; i++) {
            heads[i] = a.chain().r(hdr, 16).w(data, 512).w(st, 1).direct();
        }
        int avail = 0;
        while (avail < target) {
            int batch = Math.min(n, target - avail);
            for (int i = 0; i < batch; i++) {
                ram.putLe16(q.layout().availEntry(avail + i), heads[i]);
            }
            avail += batch;
            ram.putLe16(q.layout().availIdx(), avail & 0xffff);
            d.mmio().write(QUEUE_NOTIFY, 0);
            Deadline dl = Deadline.in(Timeouts.completion());
            for (int attempt = 0; q.deviceUsedIdx() != (avail & 0xffff); attempt++) {
                if (dl.expired() || a.needsReset()) {
                    throw new CompletionTimeout("fast-forward to used idx " + target + " stuck at "
                            + q.deviceUsedIdx() + (a.needsReset() ? " (DEVICE_NEEDS_RESET)" : ""));
                }
                dl.pause(attempt);
            }
            if ((avail & 0x3ff) < n) {
                d.serviceInterrupt();
            }
        }
        d.serviceInterrupt();
        q.assumeIndices(avail, avail);
    }

    public static Reaction wrap(HostileRun a, boolean jump) {
        BlkDriver d = a.init(HostileRun.DEFAULT_WANTED, 0);
        SplitQueue q = a.q();
        fastForward(a, 0x10000 - 4);
        // Without HostControl the disk guard's baseline is a request or two through queue 0: the batch then starts
        // at 65533 or 65534 (still straddling the wrap), so the expected used idx is relative to where arm() left it.
        a.arm();
        int from = q.availIdx();
        if (jump) {
            long hdr = a.header(Blk.T_IN, 8);
            long data = a.in(512);
            long st = a.status();
            int head = a.chain().r(hdr, 16).w(data, 512).w(st, 1).direct();
            for (int i = 0; i < q.size(); i++) {
                q.putRingEntry(q.availIdx() + i, head);
            }
            q.setAvailIdx(q.availIdx() + q.size() + 1);
            return a.notifyAndObserve(head, st);
        }
        List<BlkDriver.Pending> ps = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            BlkDriver.Pending p = d.build(0, BlkRequest.read(8 + i, 512));
            a.allowWrite(p.inGpa(), p.writableBytes());
            ps.add(p);
        }
        q.publish(ps.stream().mapToInt(BlkDriver.Pending::head).toArray());
        a.baseline();
        d.mmio().write(QUEUE_NOTIFY, 0);
        Reaction r = COMPLETED_OK;
        for (BlkDriver.Pending p : ps) {
            Completion c = a.awaitOrNull(p, Timeouts.completion());
            if (c == null) {
                return a.needsReset() ? a.needsResetReaction() : STOPPED_SILENTLY;
            }
            if (!c.ok()) {
                r = a.statusReaction(p.statusGpa());
            }
        }
        if (q.deviceUsedIdx() != ((from + 8) & 0xffff)) {
            a.harm(Harm.DOUBLE_PROCESSING, "used idx " + q.deviceUsedIdx() + " after 8 requests from " + from);
        }
        return r;
    }
}
