package org.virtiotck.tck.hostile;

import static org.virtiotck.spec.MmioRegister.*;
import static org.virtiotck.tck.hostile.Reaction.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.virtiotck.queue.RingLayout;
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

/**
 * Hostile scenarios on a queue in use (classes 12 to 14 of {@code HostileRingSuite}'s table): queue registers
 * rewritten and control registers read at other widths while live, descriptors rewritten after the notification
 * and resets with requests in flight.
 */
public final class LiveQueueScenarios {
    private LiveQueueScenarios() {}

    // ---------------------------------------------------------------- 12. live queue registers

    public static Reaction liveRegister(HostileRun a, int register) {
        BlkDriver d = a.init(HostileRun.DEFAULT_WANTED, 0);
        SplitQueue q = a.q();
        a.arm();
        BlkDriver.Pending p = d.build(0, BlkRequest.read(8, 512));
        a.allowWrite(p.inGpa(), p.writableBytes());
        long alt = -1;
        int value;
        switch (register) {
            case QUEUE_NUM -> value = q.size() / 2;
            case QUEUE_ALIGN -> value = 16384;
            default -> value = 0;
        }
        if (d.legacy()) {
            // A legacy device may re-lay the rings out at once (QEMU does): the used ring the driver now describes
            // is the device's to write.
            int n = register == QUEUE_NUM ? value : q.size();
            long align = register == QUEUE_ALIGN ? value : BlkDriver.LEGACY_ALIGN;
            RingLayout relaid = RingLayout.legacy(n, q.layout().desc(), align);
            a.allowWrite(relaid.used(), relaid.usedBytes());
        }
        switch (register) {
            case QUEUE_NUM, QUEUE_ALIGN -> {
            }
            case QUEUE_DESC_LOW -> {
                alt = d.ram().alloc(SplitRing.descTableBytes(q.size()), 16);
                d.ram().write(alt, d.ram().read(q.layout().desc(), (int) SplitRing.descTableBytes(q.size())));
                value = (int) alt;
            }
            case QUEUE_DEVICE_LOW -> {
                alt = d.ram().alloc(SplitRing.usedRingBytes(q.size()), 4);
                a.allowWrite(alt, SplitRing.usedRingBytes(q.size()));
                value = (int) alt;
            }
            default -> value = -1;
        }
        d.mmio().write(QUEUE_SEL, 0);
        d.mmio().write(register, value);
        q.publish(p.head());
        a.baseline();
        d.serviceInterrupt();
        d.clearSeenInterrupts();
        d.mmio().write(QUEUE_NOTIFY, 0);
        if (register == QUEUE_DEVICE_LOW) {
            Deadline dl = Deadline.in(HostileRun.refusalWindow());
            for (int attempt = 0; !dl.expired(); attempt++) {
                if (d.ram().le16(alt + 2) != 0) {
                    a.note("the device adopted the new used ring");
                    a.checkMemory("after the device used the moved ring");
                    return a.statusReaction(p.statusGpa());
                }
                if (q.pendingUsed() > 0 || a.needsReset()) {
                    break;
                }
                dl.pause(attempt);
            }
        }
        Reaction r = a.observe(p.head(), p.statusGpa());
        if (register == QUEUE_NUM && r == COMPLETED_OK && q.availIdx() == q.deviceUsedIdx()) {
            // It kept serving: use every slot of the ring as first declared, through whatever size it now believes.
            long hdr = a.header(Blk.T_IN, 8);
            long data = a.in(512);
            long st = a.status();
            Reaction rest = new DeclaredRing(a, q.layout(), hdr, data, st)
                    .from(q.deviceUsedIdx()).useEverySlot();
            return rest == COMPLETED_OK ? r : rest;
        }
        return r;
    }

    /** Readable control registers both register layouts have (the modern-only ones differ per layout). */
    private static final int[] READABLE = {MAGIC_VALUE, VERSION, DEVICE_ID, VENDOR_ID, DEVICE_FEATURES, QUEUE_NUM_MAX,
        INTERRUPT_STATUS, STATUS};

    /**
     * Readable control registers read with 8-, 16- and 64-bit loads, each naturally aligned (mmio.drv.4 broken),
     * while a queue is live; the values read are the device's business. Then a well-formed READ must be served or
     * refused as the device likes; hanging in a register read, or not working after a reset, is harm. Unaligned
     * loads are left out: a VM-hosted target's arm64 guest stub would take an alignment fault on device memory
     * itself, before the device sees the access.
     */
    public static Reaction narrowReads(HostileRun a) {
        BlkDriver d = a.init(HostileRun.DEFAULT_WANTED, 0);
        SplitQueue q = a.q();
        a.arm();
        BlkDriver.Pending p = d.build(0, BlkRequest.read(8, 512));
        a.allowWrite(p.inGpa(), p.writableBytes());
        for (int reg : READABLE) {
            for (int b = 0; b < 4; b++) {
                d.mmio().readRaw(reg + b, 1);
            }
            d.mmio().readRaw(reg, 2);
            d.mmio().readRaw(reg + 2, 2);
        }
        d.mmio().readRaw(MAGIC_VALUE, 8); // MagicValue and Version
        d.mmio().readRaw(DEVICE_ID, 8); // DeviceID and VendorID
        q.publish(p.head());
        a.baseline();
        d.serviceInterrupt();
        d.clearSeenInterrupts();
        d.mmio().write(QUEUE_NOTIFY, 0);
        return a.observe(p.head(), p.statusGpa());
    }

    // ---------------------------------------------------------------- 13. double fetch

    public static Reaction doubleFetch(HostileRun a, int variant) {
        if (variant == 3) {
            a.need(FeatureBit.INDIRECT_DESC);
        }
        boolean write = variant == 1 || variant == 2;
        if (write) {
            // Both variants judge what a served WRITE does; a read-only disk fails every write (blk.dev.21).
            a.tck().assumeNotOffered(FeatureBit.BLK_RO);
        }
        BlkDriver d = a.init();
        SplitQueue q = a.q();
        a.arm();
        GuestRam ram = d.ram();
        long hdr = a.header(write ? Blk.T_OUT : Blk.T_IN, 8);
        long data = write ? a.out(512, 3) : a.in(512);
        long st = a.status();
        long other = ram.alloc(512, 16); // canaried: the device may never write it
        if (write) {
            a.allowDisk(8, 1);
        }
        ChainBuilder c = a.chain().r(hdr, 16);
        c = write ? c.r(data, 512) : c.w(data, 512);
        c.w(st, 1);
        int head = variant == 3 ? c.indirect() : c.direct();
        int[] ids = c.ids();
        int secondHead = -1;
        if (variant == 2) {
            long hdr2 = a.header(Blk.T_OUT, 17);
            long data2 = a.out(512, 4);
            long st2 = a.status();
            secondHead = a.chain().r(hdr2, 16).r(data2, 512).w(st2, 1).direct();
        }
        q.publish(head);
        a.baseline();
        d.mmio().write(QUEUE_NOTIFY, 0);
        if (variant == 4) {
            a.allowWrite(other, 512); // racing the device: it may still fetch the new address
            q.writeDescriptor(ids[1], other, 512, SplitRing.DESC_F_WRITE | SplitRing.DESC_F_NEXT, ids[2]);
        }
        Deadline dl = Deadline.in(Timeouts.completion());
        for (int attempt = 0; q.pendingUsed() == 0 && !a.needsReset() && !dl.expired(); attempt++) {
            d.serviceInterrupt();
            dl.pause(attempt);
        }
        if (q.pendingUsed() == 0) {
            return a.needsReset() ? a.needsResetReaction() : STOPPED_SILENTLY;
        }
        Reaction r = a.statusReaction(st);
        int usedIdx = q.deviceUsedIdx();
        switch (variant) {
            case 0, 4 -> q.writeDescriptor(ids[1], other, 512, SplitRing.DESC_F_WRITE | SplitRing.DESC_F_NEXT,
                    ids[2]);
            case 1 -> ram.putLe64(hdr + 8, 16);
            case 2 -> q.putRingEntry(q.availIdx() - 1, secondHead);
            default -> ram.putLe64(c.table() + 16, other);
        }
        ram.putU8(st, 0xa5);
        a.baseline();
        for (int i = 0; i < 3; i++) {
            d.mmio().write(QUEUE_NOTIFY, 0);
        }
        Deadline quiet = Deadline.in(Timeouts.quietPeriod());
        for (int attempt = 0; !quiet.expired(); attempt++) {
            quiet.pause(attempt);
        }
        a.checkMemory("after the second notification");
        if (q.deviceUsedIdx() != usedIdx) {
            a.harm(Harm.DOUBLE_PROCESSING, "used idx moved from " + usedIdx + " to " + q.deviceUsedIdx()
                    + " without new available buffers");
        }
        q.takeAllUsed();
        return r;
    }

    // ---------------------------------------------------------------- 14. resets with requests in flight

    public static Reaction resetInFlight(HostileRun a, boolean notify, boolean queueReset) {
        boolean legacy = a.legacy();
        if (queueReset && !legacy) {
            a.need(FeatureBit.RING_RESET);
        }
        BlkDriver d = a.init(HostileRun.DEFAULT_WANTED, 0);
        SplitQueue q = a.q();
        if (queueReset && !legacy && !d.negotiated(FeatureBit.RING_RESET)) {
            Assumptions.abort("VIRTIO_F_RING_RESET not negotiated");
        }
        a.arm();
        List<BlkDriver.Pending> ps = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            BlkDriver.Pending p = d.build(0, BlkRequest.read(8 + i, 512));
            a.allowWrite(p.inGpa(), p.writableBytes());
            ps.add(p);
        }
        int usedBefore = q.deviceUsedIdx(); // not 0 when the disk guard's baseline went through queue 0
        q.publish(ps.get(0).head(), ps.get(1).head());
        a.baseline();
        if (notify) {
            d.mmio().write(QUEUE_NOTIFY, 0);
        }
        long edges = d.interruptLine() == null ? 0 : d.interruptLine().risingEdges();
        Deadline dl = Deadline.in(Timeouts.reset());
        if (queueReset && legacy) {
            d.mmio().write(QUEUE_SEL, 0);
            d.mmio().write(QUEUE_PFN, 0);
        } else if (queueReset) {
            d.mmio().write(QUEUE_SEL, 0);
            d.mmio().write(QUEUE_RESET, 1);
            for (int attempt = 0; d.mmio().read(QUEUE_RESET) != 0; attempt++) {
                if (dl.expired()) {
                    throw new CompletionTimeout("QueueReset did not read 0 within "
                            + dl.budget().toMillis() + " ms");
                }
                dl.pause(attempt);
            }
            if (d.mmio().read(QUEUE_READY) != 0) {
                a.note("QueueReady reads 1 after the queue reset completed");
                a.harm(Harm.RING_TOUCHED_AFTER_RESET, "the queue still reads ready after the queue reset");
            }
        } else {
            d.mmio().setStatus(0);
            for (int attempt = 0; d.mmio().status() != 0; attempt++) {
                if (dl.expired()) {
                    throw new CompletionTimeout("Status did not read 0 within " + dl.budget().toMillis()
                            + " ms after reset");
                }
                dl.pause(attempt);
            }
        }
        // Everything the device did up to here is fair; from now on it must leave the rings alone.
        int usedAtReset = q.deviceUsedIdx();
        byte[] usedRing = d.ram().read(q.layout().used(), (int) SplitRing.usedRingBytes(q.size()));
        a.baseline();
        long edgesAtReset = d.interruptLine() == null ? 0 : d.interruptLine().risingEdges();
        if (!queueReset) {
            int is = d.mmio().read(INTERRUPT_STATUS);
            if (is != 0) {
                a.harm(Harm.RING_TOUCHED_AFTER_RESET, "InterruptStatus 0x" + Integer.toHexString(is)
                        + " after the reset (mmio.dev.5)");
            }
        } else {
            d.mmio().write(QUEUE_NOTIFY, 0); // a queue that was reset must not act on this (vq.dev.1)
        }
        Deadline quiet = Deadline.in(Timeouts.quietPeriod());
        for (int attempt = 0; !quiet.expired(); attempt++) {
            quiet.pause(attempt);
        }
        a.checkMemory("after the reset");
        if (!java.util.Arrays.equals(usedRing, d.ram().read(q.layout().used(), usedRing.length))) {
            a.harm(Harm.RING_TOUCHED_AFTER_RESET, "the used ring changed after the reset");
        }
        long edgesNow = d.interruptLine() == null ? 0 : d.interruptLine().risingEdges();
        if (!queueReset && edgesNow != edgesAtReset) {
            a.harm(Harm.RING_TOUCHED_AFTER_RESET, "interrupt raised after the reset");
        }
        Reaction r = usedAtReset == usedBefore ? DROPPED_BY_RESET : COMPLETED_OK;
        if (queueReset) {
            // Re-enable the same rings (zeroed, as a driver re-initializing them would) and use them again.
            q.abandonInFlight();
            d.ram().zero(q.layout().desc(), SplitRing.descTableBytes(q.size()));
            d.ram().zero(q.layout().avail(), SplitRing.availRingBytes(q.size()));
            d.ram().zero(q.layout().used(), SplitRing.usedRingBytes(q.size()));
            q.assumeIndices(0, 0);
            d.placeQueue(0, q.size(), q.layout().desc(), q.layout().avail(), q.layout().used(), true);
            a.baseline();
            BlkDriver.Pending p = d.build(0, BlkRequest.read(12, 512));
            a.allowWrite(p.inGpa(), p.writableBytes());
            q.publish(p.head());
            a.baseline();
            d.mmio().write(QUEUE_NOTIFY, 0);
            Completion c = a.awaitOrNull(p, Timeouts.completion());
            if (c == null || !c.ok()) {
                a.harm(Harm.NOT_RECOVERED_BY_RESET, "request on the re-enabled queue: " + c);
            } else if (q.deviceUsedIdx() != 1) {
                a.harm(Harm.DOUBLE_PROCESSING, "used idx " + q.deviceUsedIdx()
                        + " after one request on the re-enabled queue (stale requests completed)");
            }
        }
        a.note("edges " + edges + "->" + edgesNow);
        return r;
    }
}
