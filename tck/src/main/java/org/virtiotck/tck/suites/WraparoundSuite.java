package org.virtiotck.tck.suites;

import static org.virtiotck.spec.MmioRegister.INTERRUPT_ACK;
import static org.virtiotck.spec.MmioRegister.INTERRUPT_STATUS;
import static org.virtiotck.spec.MmioRegister.INT_CONFIG_CHANGE;
import static org.virtiotck.spec.MmioRegister.INT_USED_BUFFER;
import static org.virtiotck.spec.MmioRegister.QUEUE_NOTIFY;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.virtiotck.queue.UsedElem;
import org.virtiotck.spec.Blk;
import org.virtiotck.spec.FeatureBit;
import org.virtiotck.tck.driver.BlkDriver;
import org.virtiotck.tck.driver.CompletionTimeout;
import org.virtiotck.tck.driver.BlkRequest;
import org.virtiotck.tck.driver.Completion;
import org.virtiotck.tck.driver.Deadline;
import org.virtiotck.tck.driver.GuestRam;
import org.virtiotck.tck.driver.HarnessError;
import org.virtiotck.tck.driver.SplitQueue;
import org.virtiotck.tck.driver.SplitQueue.Buf;
import org.virtiotck.tck.driver.Timeouts;
import org.virtiotck.tck.junit.Expect;
import org.virtiotck.tck.junit.Prerequisite;
import org.virtiotck.tck.junit.Requires;
import org.virtiotck.tck.junit.Tck;
import org.virtiotck.tck.junit.Verifies;
import org.virtiotck.tck.junit.VirtioSuite;

/**
 * The free-running 16-bit ring indices (§2.7.6, §2.7.8): more than 65536 buffers go through one queue so that
 * the used idx (and the avail idx, and {@code used_event}) wrap from 65535 to 0, and the device must keep going.
 *
 * <p>To be fast against every target, one-sector READ chains are built once and made available again and again
 * without rewriting their descriptors ({@link SplitQueue#retain}); the request header is shared (it is
 * device-readable), every chain's status byte sits side by side with the others so one memory access resets or
 * reads all of them, and the used ring is read with {@link SplitQueue#takeAllUsed()}.
 */
@Requires({Prerequisite.REQUEST_COMPLETES})
@VirtioSuite("wraparound")
class WraparoundSuite {

    private static final int WRAP = 0x10000;
    private static final int SENTINEL = 0xff;

    @Test
    @Verifies("split-desc.dev.1")
    void usedIdxStartsAtZeroAdvancesByOnePerBufferAndWrapsToZero(Tck tck) {
        BlkDriver d = tck.ready();
        SplitQueue q = d.queue(0);
        Expect.equal("used idx before any buffer was used", 0, q.deviceUsedIdx());
        Fleet fleet = new Fleet(d, q);
        long total = 0;
        long goal = WRAP + 2L * fleet.n;
        while (total < goal) {
            int batch = fleet.n;
            long toWrap = WRAP - total;
            if (toWrap > 0 && toWrap < batch) {
                batch = (int) toWrap; // one batch ends exactly at slot 65535
            }
            fleet.runBatch(batch);
            d.serviceInterrupt();
            total += batch;
            Expect.equal("used idx after " + total + " used buffers", total & 0xffff, q.deviceUsedIdx());
        }
        roundTripAfterTheWrap(d);
    }

    @Test
    @Verifies("split-desc.dev.1")
    void requestsInFlightAcrossTheIndexWrapAreEachUsedOnce(Tck tck) {
        BlkDriver d = tck.ready();
        SplitQueue q = d.queue(0);
        Fleet fleet = new Fleet(d, q);
        long total = 0;
        // Fast forward to a little before the wrap, in whole batches.
        while (WRAP - total > 2L * fleet.n) {
            fleet.runBatch(fleet.n);
            d.serviceInterrupt();
            total += fleet.n;
        }
        Expect.equal("used idx after " + total + " used buffers", total & 0xffff, q.deviceUsedIdx());
        // Pipeline: small groups of odd sizes, each published and notified on its own, so that a group
        // straddles avail idx 65535 -> 0 and buffers are still outstanding while the used idx wraps; used
        // entries are collected only every third group, so the driver also lags behind the device.
        int[] groupSizes = {7, 5, 11, 3, 13};
        ArrayDeque<Integer> free = new ArrayDeque<>();
        for (int i = 0; i < fleet.n; i++) {
            free.add(i);
        }
        boolean[] outstanding = new boolean[fleet.n];
        int inFlight = 0;
        long published = total;
        long goal = WRAP + 2L * fleet.n;
        boolean sawInFlightAtWrap = false;
        for (int round = 0; total < goal; round++) {
            int want = Math.min(groupSizes[round % groupSizes.length], free.size());
            if (published < WRAP && published + want == WRAP) {
                want = free.size() > want ? want + 1 : want - 1; // make a group straddle the wrap, not end at it
            }
            if (want > 0 && published < goal) {
                int[] chains = new int[want];
                for (int i = 0; i < want; i++) {
                    chains[i] = free.poll();
                    outstanding[chains[i]] = true;
                }
                fleet.publish(chains);
                inFlight += want;
                published += want;
                if (published >= WRAP && published - want < WRAP) {
                    sawInFlightAtWrap = true; // this group takes avail idx across 65535 -> 0
                }
            }
            if (round % 3 == 2 || free.isEmpty() || published >= goal) {
                int reaped = fleet.reap(outstanding, free, inFlight == fleet.n || published >= goal);
                inFlight -= reaped;
                total += reaped;
            }
        }
        if (!sawInFlightAtWrap) {
            throw new HarnessError("no group of buffers was published across avail idx 65535 -> 0");
        }
        Expect.equal("buffers still in flight after the run", 0, inFlight);
        Expect.equal("used idx after " + total + " used buffers", total & 0xffff, q.deviceUsedIdx());
        roundTripAfterTheWrap(d);
    }

    @Test
    @Verifies("split.dev.13")
    void usedEventIsHonouredWhileTheIndicesWrap(Tck tck) {
        tck.assumeOffered(FeatureBit.EVENT_IDX);
        BlkDriver d = tck.ready();
        Expect.that(d.negotiated(FeatureBit.EVENT_IDX), "EVENT_IDX negotiated",
                "negotiated " + FeatureBit.describe(d.negotiated()));
        SplitQueue q = d.queue(0);
        Fleet fleet = new Fleet(d, q);
        long total = 0;
        // Every batch asks for a notification on its last slot. Near the wrap the batches are cut so that one
        // batch ends at 65531 and the next one fills 65532..3 with used_event = 0, in the middle of that batch
        // (the used idx goes from 65532 to 4); afterwards used_event takes small values again.
        long straddleStart = WRAP - 4;
        long goal = WRAP + 2L * fleet.n;
        while (total < goal) {
            int batch = fleet.n;
            int eventOffset;
            if (total < straddleStart - 8) {
                batch = (int) Math.min(batch, straddleStart - 8 - total);
                eventOffset = batch - 1;
            } else if (total < straddleStart) {
                batch = (int) Math.min(batch, straddleStart - total); // the last one ends at 65531
                eventOffset = batch - 1;
            } else if (total == straddleStart) {
                batch = Math.min(8, fleet.n); // 65532..3, used_event = 0
                eventOffset = Math.min(4, batch - 1);
            } else {
                eventOffset = batch - 1;
            }
            int usedEvent = (int) ((total + eventOffset) & 0xffff);
            fleet.runBatch(batch, usedEvent);
            total += batch;
            Expect.equal("used idx after " + total + " used buffers", total & 0xffff, q.deviceUsedIdx());
            expectInterrupt(d, "used_event = " + usedEvent + " and a batch that filled used slots "
                    + ((total - batch) & 0xffff) + ".." + ((total - 1) & 0xffff));
        }
        // One request at a time, after the wrap.
        for (int i = 0; i < 3; i++) {
            int usedEvent = q.lastUsedIdx();
            fleet.runBatch(1, usedEvent);
            expectInterrupt(d, "used_event = " + usedEvent + " after the wrap and a single used buffer");
        }
        roundTripAfterTheWrap(d);
    }

    // ------------------------------------------------------------------ helpers

    /**
     * As many one-sector READ chains as fit into the queue (header, data, status: three descriptors each), built
     * once. Every chain shares the same header; chain {@code i} reads into {@code data + 512 i} and its status
     * byte is at {@code status + i}.
     */
    private static final class Fleet {
        final BlkDriver d;
        final SplitQueue q;
        final int n;
        final int[] heads;
        final int[][] ids;
        final int[] chainOfHead;
        final boolean[] held;
        final long status;
        final boolean eventIdx;

        Fleet(BlkDriver d, SplitQueue q) {
            this.d = d;
            this.q = q;
            this.eventIdx = d.negotiated(FeatureBit.EVENT_IDX);
            GuestRam ram = d.ram();
            n = q.freeDescriptors() / 3;
            if (n == 0) {
                throw new AssertionError("queue " + q.index() + " of size " + q.size() + " cannot hold a request");
            }
            long hdr = ram.alloc(Blk.HEADER_SIZE, 16);
            ram.write(hdr, BlkRequest.read(0, Blk.SECTOR_SIZE).header());
            long data = ram.alloc((long) n * Blk.SECTOR_SIZE, Blk.SECTOR_SIZE);
            status = ram.alloc(n, 16);
            heads = new int[n];
            ids = new int[n][];
            held = new boolean[n];
            chainOfHead = new int[q.size()];
            Arrays.fill(chainOfHead, -1);
            for (int i = 0; i < n; i++) {
                heads[i] = q.addChain(List.of(Buf.readable(hdr, Blk.HEADER_SIZE),
                        Buf.writable(data + (long) i * Blk.SECTOR_SIZE, Blk.SECTOR_SIZE), Buf.writable(status + i, 1)));
                ids[i] = q.chain(heads[i]);
                chainOfHead[heads[i]] = i;
                held[i] = true;
            }
        }

        /**
         * Chains 0..batch-1 in one publish and one notification (with EVENT_IDX asking for a notification on the
         * batch's last slot); waits for all and checks them. Interrupts are left to the caller.
         */
        void runBatch(int batch) {
            runBatch(batch, eventIdx ? (q.lastUsedIdx() + batch - 1) & 0xffff : -1);
        }

        /** As above with {@code used_event} set to {@code usedEvent} (ignored when negative). */
        void runBatch(int batch, int usedEvent) {
            int[] chains = new int[batch];
            for (int i = 0; i < batch; i++) {
                chains[i] = i;
            }
            byte[] sentinel = new byte[batch];
            Arrays.fill(sentinel, (byte) SENTINEL);
            d.ram().write(status, sentinel);
            int start = q.lastUsedIdx();
            int[] hs = makeAvailable(chains);
            if (usedEvent >= 0) {
                q.setUsedEvent(usedEvent);
            }
            q.publish(hs);
            d.mmio().write(QUEUE_NOTIFY, q.index());
            awaitUsedIdx(start, batch);
            List<UsedElem> used = q.takeAllUsed();
            Expect.equal("used elements published for a batch of " + batch, batch, used.size());
            boolean[] seen = new boolean[n];
            for (UsedElem e : used) {
                int c = e.id() >= 0 && e.id() < chainOfHead.length ? chainOfHead[e.id()] : -1;
                Expect.that(c >= 0 && c < batch && !seen[c], "used id one of the " + batch + " chains in flight, "
                        + "each once", "used id " + e.id() + (c >= 0 && seen[c] ? " twice" : ""));
                seen[c] = true;
                held[c] = false;
            }
            byte[] st = d.ram().read(status, batch);
            for (int i = 0; i < batch; i++) {
                Expect.equal("status byte of READ chain " + heads[i] + " (used idx " + start + " + " + batch + ")",
                        Blk.S_OK, st[i] & 0xff);
            }
        }

        /** Retains the chains the device returned and lists their heads in order. */
        int[] makeAvailable(int[] chains) {
            int[] hs = new int[chains.length];
            for (int i = 0; i < chains.length; i++) {
                int c = chains[i];
                if (!held[c]) {
                    q.retain(heads[c], ids[c]);
                    held[c] = true;
                }
                hs[i] = heads[c];
            }
            return hs;
        }

        /** Pipeline mode: resets the chains' status bytes, publishes them and notifies the careful way. */
        void publish(int[] chains) {
            for (int c : chains) {
                d.ram().putU8(status + c, SENTINEL);
            }
            q.publish(makeAvailable(chains));
            d.kick(q); // with EVENT_IDX: used_event = next used slot
        }

        /**
         * Pipeline mode: collects whatever the device has used (waiting, bounded, for at least one entry, or for
         * all in flight when {@code drain}), checks ids and status bytes, returns the chains to {@code free}.
         */
        int reap(boolean[] outstanding, ArrayDeque<Integer> free, boolean drain) {
            int inFlight = 0;
            for (boolean o : outstanding) {
                inFlight += o ? 1 : 0;
            }
            if (inFlight == 0) {
                return 0;
            }
            int start = q.lastUsedIdx();
            awaitUsedIdx(start, drain ? inFlight : 1);
            List<UsedElem> used = q.takeAllUsed();
            Expect.that(used.size() <= inFlight, "at most " + inFlight + " used elements (one per buffer in flight)",
                    used.size() + " used elements");
            byte[] st = d.ram().read(status, n);
            for (UsedElem e : used) {
                int c = e.id() >= 0 && e.id() < chainOfHead.length ? chainOfHead[e.id()] : -1;
                Expect.that(c >= 0 && outstanding[c], "used id one of the chains in flight, each once",
                        "used id " + e.id() + " (used idx " + start + " + " + used.size() + ")");
                outstanding[c] = false;
                held[c] = false;
                free.add(c);
                Expect.equal("status byte of READ chain " + e.id(), Blk.S_OK, st[c] & 0xff);
            }
            d.serviceInterrupt();
            return used.size();
        }

        /**
         * Polls the used idx until it is {@code count} past {@code start}. Every value seen on the way must lie
         * between the two: the used idx only moves forward, one step per used buffer, modulo 2^16.
         */
        void awaitUsedIdx(int start, int count) {
            Deadline dl = Deadline.in(Timeouts.completion());
            int limit = inFlightLimit();
            int previous = 0;
            for (int attempt = 0; ; attempt++) {
                int idx = q.deviceUsedIdx();
                int ahead = (idx - start) & 0xffff;
                Expect.that(ahead <= limit && ahead >= previous, "used idx between " + ((start + previous) & 0xffff)
                        + " and " + ((start + limit) & 0xffff) + ": it only moves forward, one step per used buffer"
                        + " (" + limit + " in flight)", "used idx " + idx);
                previous = ahead;
                if (ahead >= count) {
                    return;
                }
                if (dl.expired()) {
                    throw new CompletionTimeout("queue " + q.index() + ": used idx " + idx + " did not reach "
                            + ((start + count) & 0xffff) + " within " + dl.budget().toMillis() + " ms (avail idx "
                            + q.availIdx() + ")");
                }
                dl.pause(attempt);
            }
        }

        /** How far the used idx may be ahead of the driver's last seen one: the buffers made available. */
        private int inFlightLimit() {
            return (q.availIdx() - q.lastUsedIdx()) & 0xffff;
        }
    }

    /** With EVENT_IDX and used_event inside the batch just used, InterruptStatus bit 0 must come; it is ACKed. */
    private static void expectInterrupt(BlkDriver d, String when) {
        Deadline dl = Deadline.in(Timeouts.completion());
        int s;
        for (int attempt = 0; ; attempt++) {
            s = d.mmio().read(INTERRUPT_STATUS);
            if ((s & INT_USED_BUFFER) != 0 || dl.expired()) {
                break;
            }
            dl.pause(attempt);
        }
        int bits = s & (INT_USED_BUFFER | INT_CONFIG_CHANGE);
        if (bits != 0) {
            d.mmio().write(INTERRUPT_ACK, bits);
        }
        Expect.that((s & INT_USED_BUFFER) != 0, "used buffer notification (InterruptStatus bit 0) with " + when,
                "InterruptStatus = 0x" + Integer.toHexString(s));
    }

    /**
     * After the wrap the careful driver still works: a WRITE then READ of the same sectors (READ only when the
     * device is read-only). With EVENT_IDX the careful driver asks for a notification at a used_event that has
     * itself wrapped.
     */
    private static void roundTripAfterTheWrap(BlkDriver d) {
        long sector = 8;
        byte[] data = SuiteData.pattern(2 * Blk.SECTOR_SIZE, 0x5eedL);
        boolean ro = d.offered(FeatureBit.BLK_RO);
        if (!ro) {
            Completion w = d.write(sector, data);
            Expect.equal("status of a WRITE after the index wrap", Blk.S_OK, w.status());
        }
        Completion r = d.read(sector, data.length);
        Expect.equal("status of a READ after the index wrap", Blk.S_OK, r.status());
        if (!ro) {
            Expect.noCorruption(Arrays.equals(data, r.in()), "READ after the wrap returns what was written",
                    "different data");
        }
    }
}
