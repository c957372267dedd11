package org.virtiotck.tck.suites;

import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.virtiotck.spec.MmioRegister.INTERRUPT_ACK;
import static org.virtiotck.spec.MmioRegister.INTERRUPT_STATUS;
import static org.virtiotck.spec.MmioRegister.INT_CONFIG_CHANGE;
import static org.virtiotck.spec.MmioRegister.INT_USED_BUFFER;
import static org.virtiotck.spec.MmioRegister.QUEUE_NOTIFY;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.virtiotck.queue.UsedElem;
import org.virtiotck.spec.Blk;
import org.virtiotck.spec.FeatureBit;
import org.virtiotck.spec.SplitRing;
import org.virtiotck.tck.driver.BlkDriver;
import org.virtiotck.tck.driver.CompletionTimeout;
import org.virtiotck.tck.driver.BlkDriver.Pending;
import org.virtiotck.tck.driver.BlkRequest;
import org.virtiotck.tck.driver.Completion;
import org.virtiotck.tck.driver.Deadline;
import org.virtiotck.tck.driver.SplitQueue;
import org.virtiotck.tck.driver.Timeouts;
import org.virtiotck.tck.junit.BreaksDriverRules;
import org.virtiotck.tck.junit.Expect;
import org.virtiotck.tck.junit.Prerequisite;
import org.virtiotck.tck.junit.Requires;
import org.virtiotck.tck.junit.Tck;
import org.virtiotck.tck.junit.Verifies;
import org.virtiotck.tck.junit.VirtioSuite;
import org.virtiotck.tck.spi.HostControl;
import org.virtiotck.tck.spi.InterruptObserver;

/**
 * Used-buffer notifications: the InterruptStatus register and the interrupt line (§4.2.2), and notification
 * suppression through the available-ring flags and {@code used_event} (§2.7.7), plus NOTIFY_ON_EMPTY (§6.3).
 *
 * <p>Requests are posted below the careful {@link BlkDriver#kick} so that each test controls {@code used_event}
 * and the ring flags itself; completions are polled without acknowledging interrupts, and the test reads
 * InterruptStatus. Every wait is bounded; a "must not interrupt" check watches for {@link Timeouts#quietPeriod()}
 * after the used entry is visible, because on asynchronous targets the interrupt may follow the used idx.
 */
@Requires({Prerequisite.REQUEST_COMPLETES})
@VirtioSuite("interrupts")
class InterruptSuite {

    private static final int DEFINED_BITS = INT_USED_BUFFER | INT_CONFIG_CHANGE;

    // ------------------------------------------------------------------ InterruptStatus and the line

    @Test
    @Verifies("mmio.dev.4")
    void interruptStatusHasNoBitSetForEventsThatHaveNotHappened(Tck tck) {
        BlkDriver d = tck.ready();
        SplitQueue q = d.queue(0);
        Expect.equal("InterruptStatus after initialization, before any request", 0, d.mmio().read(INTERRUPT_STATUS));

        requestNextInterrupt(d, q);
        complete(d, post(d));
        int seen = awaitUsedBit(d);
        Expect.that((seen & INT_USED_BUFFER) != 0, "InterruptStatus bit 0 after a used buffer was notified",
                "InterruptStatus = 0x" + Integer.toHexString(seen));
        Expect.equal("InterruptStatus after one used buffer and no configuration change (bit 1 and bits 2..31 "
                + "for events that did not happen read 0)", INT_USED_BUFFER, seen);
        ack(d, seen);
        Expect.equal("InterruptStatus after acknowledging bit 0", 0, d.mmio().read(INTERRUPT_STATUS));
    }

    @Test
    @Verifies({"mmio.dev.3", "mmio-desc.dev.6"})
    void usedBufferBitStaysSetAndTheLineAssertedUntilAcknowledged(Tck tck) {
        BlkDriver d = tck.ready();
        SplitQueue q = d.queue(0);
        InterruptObserver line = tck.interrupts().orElse(null);
        for (int round = 1; round <= 2; round++) {
            requestNextInterrupt(d, q);
            complete(d, post(d));
            int seen = awaitUsedBit(d);
            Expect.that((seen & INT_USED_BUFFER) != 0, "InterruptStatus bit 0 (used buffer) after request " + round,
                    "InterruptStatus = 0x" + Integer.toHexString(seen));
            if (line != null) {
                Expect.that(line.awaitAsserted(Timeouts.completion()),
                        "interrupt line asserted while InterruptStatus bit 0 is set", "line low");
            }
            // Not acknowledged yet: the bit must stay set, and the line with it, however often it is read.
            Deadline quiet = Deadline.in(Timeouts.quietPeriod());
            int reads = 0;
            for (int attempt = 0; reads < 8 || !quiet.expired(); attempt++, reads++) {
                int again = d.mmio().read(INTERRUPT_STATUS);
                Expect.that((again & INT_USED_BUFFER) != 0, "InterruptStatus bit 0 latched until InterruptACK",
                        "read " + (reads + 2) + " without acknowledging returned 0x" + Integer.toHexString(again));
                if (line != null) {
                    Expect.that(line.asserted(), "interrupt line stays asserted until InterruptACK",
                            "line went low before acknowledgement (read " + (reads + 2) + ")");
                }
                quiet.pause(attempt);
            }
            ack(d, seen);
            int after = pollUntil(d, s -> (s & INT_USED_BUFFER) == 0, Timeouts.completion());
            Expect.that((after & INT_USED_BUFFER) == 0, "InterruptStatus bit 0 cleared by InterruptACK",
                    "still 0x" + Integer.toHexString(after) + " after acknowledging 0x" + Integer.toHexString(seen));
            if (line != null && (after & DEFINED_BITS) == 0) {
                Expect.that(awaitLineLow(line), "interrupt line deasserted once no InterruptStatus bit is set",
                        "line still asserted with InterruptStatus 0x" + Integer.toHexString(after));
            }
        }
    }

    @Test
    @Verifies({"mmio-desc.dev.6", "mmio.dev.3", "mmio.dev.4"})
    void configChangeBitIsSetWhenTheCapacityChangesAndLatchedUntilAcknowledged(Tck tck) {
        HostControl host = tck.assumeResize();
        BlkDriver d = tck.ready();
        InterruptObserver line = tck.interrupts().orElse(null);
        Expect.equal("InterruptStatus before the capacity change", 0, d.mmio().read(INTERRUPT_STATUS));
        long capacity = d.capacity();
        host.resizeCapacity(capacity + 8);
        int seen = pollUntil(d, s -> (s & INT_CONFIG_CHANGE) != 0, Timeouts.completion());
        // Notifying a capacity change is a SHOULD (blk.dev.20): without the notification there is no bit to check.
        assumeTrue((seen & INT_CONFIG_CHANGE) != 0,
                "device did not signal the capacity change (blk.dev.20 is a SHOULD); nothing to check");
        Expect.that((seen & INT_USED_BUFFER) == 0, "InterruptStatus bit 0 clear: no buffer was used (mmio.dev.4)",
                "InterruptStatus = 0x" + Integer.toHexString(seen));
        if (line != null) {
            Expect.that(line.awaitAsserted(Timeouts.completion()),
                    "interrupt line asserted while InterruptStatus bit 1 is set", "line low");
        }
        for (int i = 0; i < 8; i++) {
            int again = d.mmio().read(INTERRUPT_STATUS);
            Expect.that((again & INT_CONFIG_CHANGE) != 0, "InterruptStatus bit 1 latched until InterruptACK",
                    "read " + (i + 2) + " without acknowledging returned 0x" + Integer.toHexString(again));
        }
        ack(d, seen);
        int after = pollUntil(d, s -> (s & INT_CONFIG_CHANGE) == 0, Timeouts.completion());
        Expect.that((after & INT_CONFIG_CHANGE) == 0, "InterruptStatus bit 1 cleared by InterruptACK",
                "still 0x" + Integer.toHexString(after));
        if (line != null && (after & DEFINED_BITS) == 0) {
            Expect.that(awaitLineLow(line), "interrupt line deasserted once no InterruptStatus bit is set",
                    "line still asserted");
        }
    }

    // ------------------------------------------------------------------ suppression without EVENT_IDX

    @Test
    @Verifies("split.dev.11")
    void usedBufferIsNotifiedWhenAvailFlagsAreZeroWithoutEventIdx(Tck tck) {
        BlkDriver d = withoutEventIdx(tck);
        SplitQueue q = d.queue(0);
        q.setAvailFlags(0);
        for (int i = 0; i < 3; i++) {
            complete(d, post(d));
            expectUsedInterrupt(d, "after used buffer " + (i + 1) + " with avail flags 0");
        }
        // Several buffers used in one go: one interrupt for all of them is enough.
        completeAll(d, postBatch(d, 3));
        expectUsedInterrupt(d, "after a batch of 3 used buffers with avail flags 0");
    }

    @Test
    @Verifies("split.dev.10")
    @Requires({Prerequisite.INTERRUPTS_ARRIVE})
    void noInterruptWhenAvailFlagsAskForNoneWithoutEventIdx(Tck tck) {
        BlkDriver d = withoutEventIdx(tck);
        SplitQueue q = d.queue(0);
        q.setAvailFlags(SplitRing.AVAIL_F_NO_INTERRUPT);
        for (int i = 0; i < 3; i++) {
            long edges = edges(tck);
            complete(d, post(d));
            expectNoUsedInterrupt(tck, d, edges, "after used buffer " + (i + 1) + " with VIRTQ_AVAIL_F_NO_INTERRUPT");
        }
        long edges = edges(tck);
        completeAll(d, postBatch(d, 3));
        expectNoUsedInterrupt(tck, d, edges, "after a batch of 3 used buffers with VIRTQ_AVAIL_F_NO_INTERRUPT");
        q.setAvailFlags(0);
    }

    @Test
    @Verifies("split.dev.9")
    void usedEventIsIgnoredWithoutEventIdx(Tck tck) {
        BlkDriver d = withoutEventIdx(tck);
        SplitQueue q = d.queue(0);
        q.setAvailFlags(0);
        // Values that would suppress the notification if the device honoured used_event.
        int[] offsets = {0x8000, -1, 5, 0x7fff, 2};
        for (int off : offsets) {
            int usedEvent = (q.lastUsedIdx() + off) & 0xffff;
            q.setUsedEvent(usedEvent);
            complete(d, post(d));
            expectUsedInterrupt(d, "without EVENT_IDX, with used_event = " + usedEvent + " and used idx now "
                    + q.lastUsedIdx());
        }
    }

    // ------------------------------------------------------------------ suppression with EVENT_IDX

    @Test
    @Verifies("split.dev.12")
    @BreaksDriverRules("sets VIRTQ_AVAIL_F_NO_INTERRUPT although EVENT_IDX is negotiated (split.drv.14)")
    void availFlagsNoInterruptIsIgnoredWithEventIdx(Tck tck) {
        BlkDriver d = withEventIdx(tck);
        SplitQueue q = d.queue(0);
        q.setAvailFlags(SplitRing.AVAIL_F_NO_INTERRUPT);
        for (int i = 0; i < 3; i++) {
            q.setUsedEvent(q.lastUsedIdx());
            complete(d, post(d));
            expectUsedInterrupt(d, "with EVENT_IDX, avail flags NO_INTERRUPT and used_event = the slot just filled ("
                    + ((q.lastUsedIdx() - 1) & 0xffff) + ")");
        }
        q.setAvailFlags(0);
    }

    @Test
    @Verifies("split.dev.13")
    void usedBufferIsNotifiedWhenTheFilledSlotEqualsUsedEvent(Tck tck) {
        BlkDriver d = withEventIdx(tck);
        SplitQueue q = d.queue(0);
        // The very first slot.
        q.setUsedEvent(q.lastUsedIdx());
        complete(d, post(d));
        expectUsedInterrupt(d, "with used_event = 0 after the device filled used slot 0");

        // used_event two slots ahead: whatever happens for the slots before it (split.dev.14, a SHOULD NOT) is
        // acknowledged and ignored here; the slot equal to used_event must notify.
        int target = (q.lastUsedIdx() + 2) & 0xffff;
        q.setUsedEvent(target);
        for (int i = 0; i < 2; i++) {
            complete(d, post(d));
            settleAndAck(d);
        }
        complete(d, post(d));
        expectUsedInterrupt(d, "with used_event = " + target + " after the device filled used slot " + target
                + " (requests posted one at a time)");

        // Inside a batch: used_event names the second of three slots filled in one go.
        target = (q.lastUsedIdx() + 1) & 0xffff;
        q.setUsedEvent(target);
        completeAll(d, postBatch(d, 3));
        expectUsedInterrupt(d, "with used_event = " + target + " after a batch filled used slots "
                + ((target - 1) & 0xffff) + ".." + ((target + 1) & 0xffff));
    }

    @Test
    @Verifies("split.dev.14")
    @Requires({Prerequisite.INTERRUPTS_ARRIVE})
    void noInterruptForUsedSlotsOtherThanUsedEvent(Tck tck) {
        BlkDriver d = withEventIdx(tck);
        SplitQueue q = d.queue(0);
        // Warm up with one notified request: some devices notify unconditionally the first time.
        q.setUsedEvent(q.lastUsedIdx());
        complete(d, post(d));
        settleAndAck(d);

        int target = (q.lastUsedIdx() + 3) & 0xffff;
        q.setUsedEvent(target);
        for (int i = 0; i < 3; i++) {
            int slot = q.lastUsedIdx();
            long edges = edges(tck);
            complete(d, post(d));
            expectNoUsedInterrupt(tck, d, edges, "with used_event = " + target + " after the device filled used slot "
                    + slot);
        }
        // used_event just behind the used idx: the next slots are all "other" slots.
        complete(d, post(d));
        settleAndAck(d);
        int behind = (q.lastUsedIdx() - 1) & 0xffff;
        q.setUsedEvent(behind);
        long edges = edges(tck);
        completeAll(d, postBatch(d, 2));
        expectNoUsedInterrupt(tck, d, edges, "with used_event = " + behind + " (already passed) after a batch "
                + "filled the next 2 used slots");
    }

    // ------------------------------------------------------------------ used ring flags

    @Test
    @Verifies("split.dev.18")
    void usedFlagsAreOnlyZeroOrOneWithoutEventIdx(Tck tck) {
        BlkDriver d = withoutEventIdx(tck);
        List<Integer> samples = sampleUsedFlagsOverARun(d);
        for (int f : samples) {
            Expect.that(f == 0 || f == SplitRing.USED_F_NO_NOTIFY, "used ring flags 0 or 1 without EVENT_IDX",
                    "used ring flags 0x" + Integer.toHexString(f) + " (samples " + samples + ")");
        }
    }

    @Test
    @Verifies("split.dev.20")
    void usedFlagsStayZeroWithEventIdx(Tck tck) {
        BlkDriver d = withEventIdx(tck);
        List<Integer> samples = sampleUsedFlagsOverARun(d);
        for (int f : samples) {
            Expect.equal("used ring flags with EVENT_IDX negotiated", 0, f);
        }
    }

    // ------------------------------------------------------------------ NOTIFY_ON_EMPTY

    @Test
    @Verifies("reserved-legacy.dev.2")
    void notifyOnEmptyInterruptsWhenTheQueueRunsDryDespiteNoInterruptFlag(Tck tck) {
        tck.assumeOffered(FeatureBit.NOTIFY_ON_EMPTY);
        BlkDriver d = withNotifyOnEmpty(tck, false);
        SplitQueue q = d.queue(0);
        q.setAvailFlags(SplitRing.AVAIL_F_NO_INTERRUPT);
        completeAll(d, postBatch(d, 3));
        expectUsedInterrupt(d, "with NOTIFY_ON_EMPTY and VIRTQ_AVAIL_F_NO_INTERRUPT, after the device used every "
                + "available buffer (batch of 3)");
        complete(d, post(d));
        expectUsedInterrupt(d, "with NOTIFY_ON_EMPTY and VIRTQ_AVAIL_F_NO_INTERRUPT, after the device used the "
                + "only available buffer");
        q.setAvailFlags(0);
    }

    @Test
    @Verifies("reserved-legacy.dev.2")
    void notifyOnEmptyInterruptsWhenTheQueueRunsDryDespiteUsedEvent(Tck tck) {
        tck.assumeOffered(FeatureBit.NOTIFY_ON_EMPTY, FeatureBit.EVENT_IDX);
        BlkDriver d = withNotifyOnEmpty(tck, true);
        SplitQueue q = d.queue(0);
        int far = (q.lastUsedIdx() + 0x4000) & 0xffff;
        q.setUsedEvent(far);
        completeAll(d, postBatch(d, 3));
        expectUsedInterrupt(d, "with NOTIFY_ON_EMPTY and EVENT_IDX, used_event = " + far + ", after the device "
                + "used every available buffer (batch of 3)");
        q.setUsedEvent(far);
        complete(d, post(d));
        expectUsedInterrupt(d, "with NOTIFY_ON_EMPTY and EVENT_IDX, used_event = " + far + ", after the device "
                + "used the only available buffer");
    }

    // ------------------------------------------------------------------ helpers

    /** Careful initialization with everything but EVENT_IDX, so the avail flags govern notifications. */
    private static BlkDriver withoutEventIdx(Tck tck) {
        BlkDriver d = tck.driver();
        BlkDriver.Init init = d.initialize(~FeatureBit.mask(FeatureBit.EVENT_IDX));
        if (!init.ok()) {
            throw new AssertionError("careful initialization without EVENT_IDX failed: " + init.problem());
        }
        return d;
    }

    /** Careful initialization with EVENT_IDX (SKIP when it is not offered). */
    private static BlkDriver withEventIdx(Tck tck) {
        tck.assumeOffered(FeatureBit.EVENT_IDX);
        BlkDriver d = tck.driver();
        BlkDriver.Init init = d.initialize(-1L);
        if (!init.ok()) {
            throw new AssertionError("careful initialization with EVENT_IDX failed: " + init.problem());
        }
        Expect.that(d.negotiated(FeatureBit.EVENT_IDX), "EVENT_IDX negotiated",
                "negotiated " + FeatureBit.describe(d.negotiated()));
        return d;
    }

    /**
     * The careful initialization steps, but accepting NOTIFY_ON_EMPTY, which the careful driver never does, and
     * EVENT_IDX only when asked. One request queue (no MQ).
     */
    private static BlkDriver withNotifyOnEmpty(Tck tck, boolean eventIdx) {
        BlkDriver d = tck.driver();
        d.beginOrFail();
        long wanted = ~FeatureBit.mask(FeatureBit.BLK_MQ);
        if (!eventIdx) {
            wanted &= ~FeatureBit.mask(FeatureBit.EVENT_IDX);
        }
        long chosen = d.choose(wanted) | FeatureBit.mask(FeatureBit.NOTIFY_ON_EMPTY);
        if (!d.negotiate(chosen)) {
            d.fail();
            assumeTrue(false, "device refused FEATURES_OK for " + FeatureBit.describe(chosen));
        }
        if (d.legacy()) {
            d.writeGuestPageSize();
        }
        if (d.setupQueue(0, 0) == null) {
            throw new AssertionError("queue 0 reports QueueNumMax 0");
        }
        d.driverOk();
        return d;
    }

    /** With EVENT_IDX, asks for a notification on the next used slot; without it, clears NO_INTERRUPT. */
    private static void requestNextInterrupt(BlkDriver d, SplitQueue q) {
        if (d.negotiated(FeatureBit.EVENT_IDX)) {
            q.setUsedEvent(q.lastUsedIdx());
        } else {
            q.setAvailFlags(0);
        }
    }

    /** Builds a one-sector READ, makes it available and notifies, leaving used_event and the flags alone. */
    private static Pending post(BlkDriver d) {
        Pending p = d.build(0, BlkRequest.read(0, Blk.SECTOR_SIZE));
        p.queue().publish(p.head());
        d.mmio().write(QUEUE_NOTIFY, p.queue().index());
        return p;
    }

    /** Makes {@code n} one-sector READs available with a single avail idx update and one notification. */
    private static List<Pending> postBatch(BlkDriver d, int n) {
        List<Pending> ps = new ArrayList<>();
        int[] heads = new int[n];
        for (int i = 0; i < n; i++) {
            Pending p = d.build(0, BlkRequest.read(i, Blk.SECTOR_SIZE));
            ps.add(p);
            heads[i] = p.head();
        }
        SplitQueue q = ps.get(0).queue();
        q.publish(heads);
        d.mmio().write(QUEUE_NOTIFY, q.index());
        return ps;
    }

    /** Waits (bounded) for the request's used entry without acknowledging interrupts and checks it. */
    private static void complete(BlkDriver d, Pending p) {
        UsedElem e = d.awaitUsed(p.queue(), false);
        Expect.equal("used element id", p.head(), e.id());
        Completion c = d.complete(p, e);
        Expect.equal("status of " + p.request(), Blk.S_OK, c.status());
    }

    private static void completeAll(BlkDriver d, List<Pending> ps) {
        List<Integer> outstanding = new ArrayList<>();
        for (Pending p : ps) {
            outstanding.add(p.head());
        }
        for (int i = 0; i < ps.size(); i++) {
            UsedElem e = d.awaitUsed(ps.get(0).queue(), false);
            Expect.that(outstanding.remove(Integer.valueOf(e.id())), "used id one of the chains in flight "
                    + outstanding, "used id " + e.id());
            Pending p = ps.stream().filter(x -> x.head() == e.id()).findFirst().orElseThrow();
            Completion c = d.complete(p, e);
            Expect.equal("status of " + p.request(), Blk.S_OK, c.status());
        }
    }

    /** Polls InterruptStatus until bit 0 is set or the completion budget is spent; returns the last value. */
    private static int awaitUsedBit(BlkDriver d) {
        return pollUntil(d, s -> (s & INT_USED_BUFFER) != 0, Timeouts.completion());
    }

    private static int pollUntil(BlkDriver d, java.util.function.IntPredicate done, java.time.Duration budget) {
        Deadline dl = Deadline.in(budget);
        for (int attempt = 0; ; attempt++) {
            int s = d.mmio().read(INTERRUPT_STATUS);
            if (done.test(s) || dl.expired()) {
                return s;
            }
            dl.pause(attempt);
        }
    }

    /** A used-buffer interrupt must come (bounded); it is then acknowledged as a driver must. */
    private static void expectUsedInterrupt(BlkDriver d, String when) {
        int seen = awaitUsedBit(d);
        Expect.that((seen & INT_USED_BUFFER) != 0, "used buffer notification (InterruptStatus bit 0) " + when,
                "InterruptStatus = 0x" + Integer.toHexString(seen) + " for " + Timeouts.completion().toMillis()
                        + " ms");
        InterruptObserver line = d.interruptLine();
        if (line != null) {
            Expect.that(line.awaitAsserted(Timeouts.completion()), "interrupt line asserted " + when, "line low");
        }
        ack(d, seen);
    }

    /**
     * No used-buffer interrupt may come: InterruptStatus bit 0 stays clear and the line does not rise during the
     * quiet period. Anything seen is acknowledged before failing.
     */
    private static void expectNoUsedInterrupt(Tck tck, BlkDriver d, long edgesBefore, String when) {
        int seen = pollUntil(d, s -> (s & INT_USED_BUFFER) != 0, Timeouts.quietPeriod());
        long rose = edges(tck) - edgesBefore;
        if (seen != 0) {
            ack(d, seen);
        }
        Expect.that((seen & INT_USED_BUFFER) == 0, "no used buffer notification " + when,
                "InterruptStatus = 0x" + Integer.toHexString(seen));
        Expect.that(rose == 0, "interrupt line stays low " + when, "it rose " + rose + " time(s)");
    }

    /** Waits a quiet period for a late interrupt and acknowledges whatever is pending, without judging it. */
    private static void settleAndAck(BlkDriver d) {
        int seen = pollUntil(d, s -> (s & INT_USED_BUFFER) != 0, Timeouts.quietPeriod());
        if (seen != 0) {
            ack(d, seen);
        }
    }

    /** Acknowledges exactly the defined bits that were read (mmio.drv.18, mmio.drv.19). */
    private static void ack(BlkDriver d, int seen) {
        int bits = seen & DEFINED_BITS;
        if (bits != 0) {
            d.mmio().write(INTERRUPT_ACK, bits);
        }
    }

    private static long edges(Tck tck) {
        return tck.interrupts().map(InterruptObserver::risingEdges).orElse(0L);
    }

    private static boolean awaitLineLow(InterruptObserver line) {
        Deadline dl = Deadline.in(Timeouts.completion());
        for (int attempt = 0; ; attempt++) {
            if (!line.asserted()) {
                return true;
            }
            if (dl.expired()) {
                return false;
            }
            dl.pause(attempt);
        }
    }

    /**
     * Runs single requests and a batch while reading the used ring flags before, between and during every wait;
     * acknowledges interrupts on the way as a driver must.
     */
    private static List<Integer> sampleUsedFlagsOverARun(BlkDriver d) {
        SplitQueue q = d.queue(0);
        List<Integer> samples = new ArrayList<>();
        samples.add(q.usedFlags());
        for (int i = 0; i < 8; i++) {
            requestNextInterrupt(d, q);
            post(d);
            samples.add(q.usedFlags());
            awaitSampling(d, q, samples, 1);
            samples.add(q.usedFlags());
            d.serviceInterrupt();
        }
        int batch = Math.min(8, q.freeDescriptors() / 3);
        requestNextInterrupt(d, q);
        postBatch(d, batch);
        awaitSampling(d, q, samples, batch);
        samples.add(q.usedFlags());
        settleAndAck(d);
        samples.add(q.usedFlags());
        return samples;
    }

    private static void awaitSampling(BlkDriver d, SplitQueue q, List<Integer> samples, int count) {
        Deadline dl = Deadline.in(Timeouts.completion());
        int got = 0;
        for (int attempt = 0; got < count; attempt++) {
            samples.add(q.usedFlags());
            UsedElem e = q.takeUsed();
            if (e != null) {
                got++;
                continue;
            }
            if (dl.expired()) {
                throw new CompletionTimeout("queue " + q.index() + ": " + (count - got) + " of " + count
                        + " requests not used within " + dl.budget().toMillis() + " ms");
            }
            dl.pause(attempt);
        }
    }
}
