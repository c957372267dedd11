package org.virtiotck.tck.hostile;

import static org.virtiotck.spec.MmioRegister.*;
import static org.virtiotck.tck.hostile.Reaction.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.virtiotck.queue.UsedElem;
import org.virtiotck.spec.Blk;
import org.virtiotck.spec.SplitRing;
import org.virtiotck.tck.driver.BlkDriver;
import org.virtiotck.tck.driver.BlkRequest;
import org.virtiotck.tck.driver.Deadline;
import org.virtiotck.tck.driver.GuestRam;
import org.virtiotck.tck.driver.SplitQueue;
import org.virtiotck.tck.driver.Timeouts;
import org.virtiotck.tck.spi.HostControl;
import org.virtiotck.tck.spi.TargetInfo;

/**
 * Hostile scenarios around the device status (classes 15, 16 and 19 of {@code HostileRingSuite}'s table):
 * configuration changes, DEVICE_NEEDS_RESET recovery and requests the device must not serve yet.
 */
public final class StatusScenarios {
    private StatusScenarios() {}

    // ---------------------------------------------------------------- 15. configuration changes

    public static Reaction resize(HostileRun a, int variant) {
        HostControl host = a.tck().assumeResize();
        Assumptions.assumeTrue(a.tck().info().has(TargetInfo.Capability.RESIZE), "target cannot resize its disk");
        BlkDriver d;
        if (variant == 2) {
            d = a.negotiated(HostileRun.DEFAULT_WANTED);
        } else {
            d = a.init();
            a.arm();
        }
        a.skipLiveness();
        long cap = variant == 2 ? d.readConfig().capacity() : d.capacity();
        d.serviceInterrupt();
        d.clearSeenInterrupts();
        int g0 = d.legacy() ? 0 : d.mmio().configGeneration();
        long newCap = variant == 3 ? cap - 64 : cap + 64;
        long seen;
        int g1;
        if (variant == 1) {
            long low = d.mmio().config32(Blk.CFG_CAPACITY) & 0xffffffffL;
            host.resizeCapacity(newCap);
            long high = d.mmio().config32(Blk.CFG_CAPACITY + 4) & 0xffffffffL;
            g1 = d.mmio().configGeneration();
            seen = high << 32 | low;
        } else {
            host.resizeCapacity(newCap);
            g1 = d.legacy() ? 1 : d.mmio().configGeneration();
            seen = d.readConfig().capacity();
        }
        if (!d.legacy() && g1 == g0) {
            a.note("ConfigGeneration stayed " + g0 + " across the change (capacity " + cap + " -> " + newCap + ")");
            return CONFIG_CHANGE_STALE_GENERATION;
        }
        if (variant != 1 && seen != newCap) {
            a.note("capacity reads " + seen + " after the change to " + newCap);
            return CONFIG_CHANGE_STALE_GENERATION;
        }
        boolean irq = a.configIrq(Timeouts.quietPeriod());
        if (variant == 3) {
            BlkDriver.Pending p = d.build(0, BlkRequest.read(cap - 1, 512));
            a.allowWrite(p.inGpa(), p.writableBytes());
            p.queue().publish(p.head());
            return a.notifyAndObserve(p.head(), p.statusGpa());
        }
        return irq ? CONFIG_CHANGE_SIGNALLED : CONFIG_CHANGE_WITHOUT_IRQ;
    }

    // ---------------------------------------------------------------- 16. DEVICE_NEEDS_RESET

    public static Reaction needsReset(HostileRun a, boolean batch) {
        BlkDriver d = a.init();
        SplitQueue q = a.q();
        a.arm();
        int bad = q.size();
        Reaction r;
        if (!batch) {
            q.putRingEntry(q.availIdx(), bad);
            q.setAvailIdx(q.availIdx() + 1);
            r = a.notifyAndObserve(bad, -1);
        } else {
            List<BlkDriver.Pending> ps = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                BlkDriver.Pending p = d.build(0, BlkRequest.read(8 + i, 512));
                a.allowWrite(p.inGpa(), p.writableBytes());
                ps.add(p);
            }
            int start = q.availIdx();
            q.putRingEntry(start, ps.get(0).head());
            q.putRingEntry(start + 1, ps.get(1).head());
            q.putRingEntry(start + 2, bad);
            q.putRingEntry(start + 3, ps.get(2).head());
            q.setAvailIdx(start + 4);
            a.baseline();
            d.serviceInterrupt();
            d.clearSeenInterrupts();
            d.mmio().write(QUEUE_NOTIFY, 0);
            a.awaitActivity(q, HostileRun.refusalWindow());
            Deadline dl = Deadline.in(HostileRun.refusalWindow());
            for (int attempt = 0; !a.needsReset() && !dl.expired(); attempt++) {
                dl.pause(attempt);
            }
            r = a.needsReset() ? a.needsResetReaction() : STOPPED_SILENTLY;
            int[] count = new int[q.size() + 1];
            for (UsedElem e : q.takeAllUsed()) {
                if (e.id() < 0 || e.id() > q.size()) {
                    a.harm(Harm.BOGUS_USED_ELEMENT, "used id " + e.id());
                } else if (++count[e.id()] > 1) {
                    a.harm(Harm.DOUBLE_PROCESSING, "chain " + e.id() + " used twice");
                }
            }
            if (count[bad] > 0) {
                a.note("the bad head came back as a used element");
            }
        }
        // More notifications while DEVICE_NEEDS_RESET is set must do no harm.
        int usedIdx = q.deviceUsedIdx();
        for (int i = 0; i < 4; i++) {
            d.mmio().write(QUEUE_NOTIFY, 0);
        }
        a.checkMemory("after notifications while DEVICE_NEEDS_RESET was set");
        if (q.deviceUsedIdx() != usedIdx && !batch) {
            a.harm(Harm.DOUBLE_PROCESSING, "used idx moved while DEVICE_NEEDS_RESET was set");
        }
        return r;
    }

    // ---------------------------------------------------------------- 19. too early / not ready

    public static Reaction early(HostileRun a, int variant) {
        BlkDriver d;
        long edges0;
        if (variant == 3) {
            d = a.init();
            a.arm();
        } else {
            d = variant == 1 ? a.bare() : a.negotiated(HostileRun.DEFAULT_WANTED);
            if (variant == 1) {
                d.begin();
                d.writeDriverFeatures(d.choose(HostileRun.DEFAULT_WANTED));
            }
            a.arm();
        }
        GuestRam ram = d.ram();
        SplitQueue q;
        if (variant == 3) {
            q = a.q();
        } else {
            q = d.legacy() ? SplitQueue.allocateLegacy(ram, 0, 64, BlkDriver.LEGACY_PAGE_SIZE, BlkDriver.LEGACY_ALIGN)
                    : SplitQueue.allocateModern(ram, 0, 64);
            d.placeQueue(0, 64, q.layout().desc(), q.layout().avail(), q.layout().used(), variant != 2);
        }
        long hdr = a.header(Blk.T_IN, 8);
        long data = a.in(512);
        long st = a.status();
        int head = q.addChain(List.of(SplitQueue.Buf.readable(hdr, 16), SplitQueue.Buf.writable(data, 512),
                SplitQueue.Buf.writable(st, 1)));
        int used0 = q.deviceUsedIdx(); // variant 3's queue 0 may have served the disk guard's baseline already
        q.publish(head);
        // Serving too early is judged by the reaction; the used ring is the driver's, so writing it is no corruption.
        a.allowWrite(q.layout().used(), SplitRing.usedRingBytes(q.size()));
        if (variant == 2) {
            d.driverOk(); // DRIVER_OK with the queue configured but not enabled
        }
        edges0 = d.interruptLine() == null ? 0 : d.interruptLine().risingEdges();
        a.baseline();
        if (variant == 3) {
            d.mmio().write(QUEUE_NOTIFY, 7);
            d.mmio().write(QUEUE_NOTIFY, 0xffff);
        } else {
            d.mmio().write(QUEUE_NOTIFY, 0);
        }
        Deadline dl = Deadline.in(HostileRun.refusalWindow());
        for (int attempt = 0; q.deviceUsedIdx() == used0 && !dl.expired(); attempt++) {
            dl.pause(attempt);
        }
        a.checkMemory("before the queue was allowed to run");
        if (q.deviceUsedIdx() != used0) {
            q.takeAllUsed();
            a.note("served before it was allowed to");
            return a.statusReaction(st);
        }
        if (variant != 3 && d.interruptLine() != null && d.interruptLine().risingEdges() != edges0) {
            a.note("interrupt raised for a request that was not served");
        }
        if (a.needsReset()) {
            // The driver broke init.drv.8 / mmio.drv rules: treating that as an error is the device's choice.
            a.note("DEVICE_NEEDS_RESET for the notification it must not act on");
            return a.needsResetReaction();
        }
        switch (variant) {
            case 0 -> d.driverOk();
            case 1 -> {
                if (!d.featuresOk()) {
                    throw new AssertionError("FEATURES_OK refused");
                }
                d.driverOk();
            }
            case 2 -> d.enableQueue(0, q.layout().desc());
            default -> {
            }
        }
        a.baseline();
        d.mmio().write(QUEUE_NOTIFY, 0);
        Deadline dl2 = Deadline.in(Timeouts.completion());
        for (int attempt = 0; q.deviceUsedIdx() == used0 && !a.needsReset() && !dl2.expired(); attempt++) {
            d.serviceInterrupt();
            dl2.pause(attempt);
        }
        if (q.deviceUsedIdx() == used0) {
            return a.needsReset() ? a.needsResetReaction() : STOPPED_SILENTLY;
        }
        q.takeAllUsed();
        Reaction r = a.statusReaction(st);
        return r == COMPLETED_OK ? UNCONSUMED_OTHERS_WORK : r;
    }
}
