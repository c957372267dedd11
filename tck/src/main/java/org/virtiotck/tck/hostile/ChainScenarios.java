package org.virtiotck.tck.hostile;

import static org.virtiotck.tck.hostile.Reaction.*;

import java.util.List;
import org.virtiotck.queue.Descriptor;
import org.virtiotck.spec.Blk;
import org.virtiotck.spec.FeatureBit;
import org.virtiotck.spec.SplitRing;
import org.virtiotck.tck.driver.Le;

/**
 * The hostile descriptor-chain scenarios of {@code HostileChainSuite}'s table ({@link BugClass} 1 to 8, 17 and
 * 18): a well-formed request is built, bent by the case (links, lengths, addresses, flags, inserted or dropped
 * descriptors) and submitted, or a scenario builds its hostile structure itself.
 */
public final class ChainScenarios {
    private ChainScenarios() {}

    /** Where the hostile cut of the chain goes. */
    public enum Mode { DIRECT, INDIRECT, MIXED }

    // ---------------------------------------------------------------- scenario building blocks

    /** The buffers of a request under construction; {@code status} is where its status byte is (-1: none). */
    public static final class Req {
        public long hdr;
        public long data;
        public long status;
        public long sector;
    }

    /** Bends a well-formed chain into a hostile one. */
    @FunctionalInterface
    public interface Bend {
        void apply(HostileRun a, Bent c, Req r);
    }

    /** A {@link ChainBuilder} plus edits that insert, drop or move descriptors before the chain is written. */
    public static final class Bent {
        final List<long[]> d = new java.util.ArrayList<>(); // addr, len, writable, flags override (-1), next kind, next
        public Bent add(long addr, long len, boolean w) {
            d.add(new long[] {addr, len, w ? 1 : 0, -1, 0, 0});
            return this;
        }

        public Bent len(int i, long len) {
            d.get(i)[1] = len;
            return this;
        }

        public Bent w0(int i, long addr) {
            d.get(i)[0] = addr;
            return this;
        }

        public Bent flags(int i, int flags) {
            d.get(i)[3] = flags;
            return this;
        }

        public Bent link(int i, int j) {
            d.get(i)[4] = 2;
            d.get(i)[5] = j;
            return this;
        }

        public Bent nextRaw(int i, int v) {
            d.get(i)[4] = 1;
            d.get(i)[5] = v;
            return this;
        }

        public Bent insertR(int at, long addr, long len) {
            d.add(at, new long[] {addr, len, 0, -1, 0, 0});
            return this;
        }

        public Bent insertW(int at, long addr, long len) {
            d.add(at, new long[] {addr, len, 1, -1, 0, 0});
            return this;
        }

        public Bent drop(int i) {
            d.remove(i);
            return this;
        }

        ChainBuilder into(ChainBuilder c) {
            for (long[] x : d) {
                if (x[2] != 0) {
                    c.w(x[0], x[1]);
                } else {
                    c.r(x[0], x[1]);
                }
            }
            for (int i = 0; i < d.size(); i++) {
                long[] x = d.get(i);
                if (x[3] >= 0) {
                    c.flags(i, (int) x[3]);
                }
                if (x[4] == 1) {
                    c.nextRaw(i, (int) x[5]);
                } else if (x[4] == 2) {
                    c.link(i, (int) x[5]);
                }
            }
            return c;
        }
    }

    public static long wanted(Mode m) {
        return m == Mode.DIRECT ? HostileRun.DEFAULT_WANTED : HostileRun.DEFAULT_WANTED;
    }

    public static void needFor(HostileRun a, Mode m) {
        if (m != Mode.DIRECT) {
            a.need(FeatureBit.INDIRECT_DESC);
        }
    }

    public static int commit(HostileRun a, Bent b, Mode m) {
        ChainBuilder c = b.into(a.chain());
        return switch (m) {
            case DIRECT -> c.direct();
            case INDIRECT -> c.indirect();
            case MIXED -> c.indirect(1, 0, -1);
        };
    }

    /** A one-sector READ at sector 8 (header, data, status), bent, then submitted. */
    public static HostileCase.Scenario read(Mode m, Bend bend) {
        return bent(Blk.T_IN, m, bend);
    }

    /** A one-sector WRITE of a pattern at sector 8 (the sector may change), bent, then submitted. */
    public static HostileCase.Scenario write(Mode m, Bend bend) {
        return bent(Blk.T_OUT, m, bend);
    }

    /** A FLUSH (header, status), bent, then submitted. */
    public static HostileCase.Scenario flush(Mode m, Bend bend) {
        return bent(Blk.T_FLUSH, m, bend);
    }

    /** A READ or WRITE of one sector at sector 8, or a FLUSH, built in {@code m}, bent, then submitted. */
    private static HostileCase.Scenario bent(int type, Mode m, Bend bend) {
        return a -> {
            needFor(a, m);
            a.init();
            a.arm();
            Req r = new Req();
            Bent b = new Bent();
            if (type == Blk.T_FLUSH) {
                r.hdr = a.header(type, 0);
                b.add(r.hdr, 16, false);
            } else {
                r.sector = 8;
                if (type == Blk.T_OUT) {
                    a.allowDisk(r.sector, 1);
                }
                r.hdr = a.header(type, r.sector);
                r.data = type == Blk.T_IN ? a.in(512) : a.out(512, 99);
                b.add(r.hdr, 16, false).add(r.data, 512, type == Blk.T_IN);
            }
            r.status = a.status();
            b.add(r.status, 1, true);
            bend.apply(a, b, r);
            return a.submit(commit(a, b, m), r.status);
        };
    }

    /** A well-formed READ or WRITE of {@code bytes} at a hostile sector. */
    public static HostileCase.Scenario request(int type, java.util.function.ToLongFunction<HostileRun> sector, int bytes,
                                        Mode m) {
        return a -> {
            needFor(a, m);
            a.init();
            a.arm();
            long s = sector.applyAsLong(a);
            long hdr = a.header(type, s);
            long data = type == Blk.T_IN ? a.in(bytes) : a.out(bytes, s);
            long st = a.status();
            Bent b = new Bent().add(hdr, 16, false).add(data, bytes, type == Blk.T_IN).add(st, 1, true);
            return a.submit(commit(a, b, m), st);
        };
    }

    /** DISCARD / WRITE_ZEROES with {@code count} segments {sector, sectors}; sector -2 means capacity - 1. */
    public static Reaction segments(HostileRun a, int type, int feature, long sector, long sectors, int count, long mayChange) {
        a.need(feature);
        a.init();
        if (!a.driver().negotiated(feature)) {
            org.junit.jupiter.api.Assumptions.abort("feature not negotiated");
        }
        a.arm();
        long s = sector == -2 ? a.driver().capacity() - 1 : sector;
        if (mayChange >= 0) {
            a.allowDisk(mayChange, sectors);
        }
        byte[] segs = new byte[count * Blk.SEGMENT_SIZE];
        for (int i = 0; i < count; i++) {
            Le.put(segs, i * 16, 8, s);
            Le.put(segs, i * 16 + 8, 4, sectors);
        }
        long hdr = a.header(type, 0);
        long data = a.driver().ram().alloc(segs.length, 16);
        a.driver().ram().write(data, segs);
        long st = a.status();
        int head = new Bent().add(hdr, 16, false).add(data, segs.length, false).add(st, 1, true).into(a.chain())
                .direct();
        return a.submit(head, st);
    }

    public static Reaction longCycle(HostileRun a) {
        a.init(HostileRun.DEFAULT_WANTED, 16);
        a.arm();
        long hdr = a.header(Blk.T_IN, 8);
        Bent b = new Bent().add(hdr, 16, false);
        for (int i = 0; i < 10; i++) {
            b.add(a.in(512), 512, true);
        }
        long st = a.status();
        b.add(st, 1, true).link(11, 0);
        return a.submit(commit(a, b, Mode.DIRECT), st);
    }

    public static Reaction badHead(HostileRun a, int head) {
        a.init();
        a.arm();
        head = head < 0 ? a.q().size() : head;
        a.q().putRingEntry(a.q().availIdx(), head);
        a.q().setAvailIdx(a.q().availIdx() + 1);
        return a.notifyAndObserve(head, -1);
    }

    public static Reaction wrappingTable(HostileRun a) {
        a.need(FeatureBit.INDIRECT_DESC);
        a.init();
        a.arm();
        int head = a.chain().r(-16L, 48).flags(0, SplitRing.DESC_F_INDIRECT).direct();
        return a.submit(head, -1);
    }

    /**
     * The opening the indirect-table cases share: INDIRECT_DESC negotiated, the device armed, and the header, data
     * and status buffers of a one-sector READ of sector 8 (allocated in that order).
     */
    private record IndirectRead(long hdr, long data, long st) {
        static IndirectRead armed(HostileRun a) {
            a.need(FeatureBit.INDIRECT_DESC);
            a.init();
            a.arm();
            return new IndirectRead(a.header(Blk.T_IN, 8), a.in(512), a.status());
        }
    }

    public static Reaction tableLength(HostileRun a, long len) {
        IndirectRead req = IndirectRead.armed(a);
        int head = a.chain().r(req.hdr(), 16).w(req.data(), 512).w(req.st(), 1).indirect(0, 0, len);
        return a.submit(head, req.st());
    }

    /**
     * An indirect table declared one entry shorter than what is written: the header links straight to the entry
     * just past the declared end, a well-formed status descriptor (the data entry is skipped).
     */
    public static Reaction linkJustPastTable(HostileRun a) {
        IndirectRead req = IndirectRead.armed(a);
        int head = a.chain().r(req.hdr(), 16).w(req.data(), 512).w(req.st(), 1).nextRaw(0, 2).indirect(0, 0, 32);
        return a.submit(head, req.st());
    }

    public static Reaction nestedIndirect(HostileRun a) {
        IndirectRead req = IndirectRead.armed(a);
        long inner = a.driver().ram().alloc(32, 16);
        byte[] e = new byte[32];
        Descriptor.encode(e, 0, req.data(), 512, SplitRing.DESC_F_WRITE | SplitRing.DESC_F_NEXT, 1);
        Descriptor.encode(e, 16, req.st(), 1, SplitRing.DESC_F_WRITE, 0);
        a.driver().ram().write(inner, e);
        int head = a.chain().r(req.hdr(), 16).r(inner, 32).flags(1, SplitRing.DESC_F_INDIRECT).indirect();
        Reaction r = a.submit(head, req.st());
        if (r != COMPLETED_OK) {
            return r;
        }
        // It followed the nested table. Carry on to the harm that invites: a table nested in itself.
        a.robustness("followed an indirect table nested in another one (split.drv.7 forbids drivers to nest "
                + "them) and served the request; a device that recurses has no depth bound");
        long self = a.driver().ram().alloc(32, 16);
        byte[] t = new byte[32];
        Descriptor.encode(t, 0, req.hdr(), 16, SplitRing.DESC_F_NEXT, 1);
        Descriptor.encode(t, 16, self, 32, SplitRing.DESC_F_INDIRECT, 0);
        a.driver().ram().write(self, t);
        int head2 = a.chain().r(self, 32).flags(0, SplitRing.DESC_F_INDIRECT).direct();
        Reaction r2 = a.submit(head2, -1);
        a.note("table nested in itself: " + r2);
        return r2 == STOPPED_SILENTLY || r2 == NEEDS_RESET_WITHOUT_IRQ ? r2 : r;
    }

    public static Reaction indirectWithNext(HostileRun a) {
        IndirectRead req = IndirectRead.armed(a);
        long st2 = a.status();
        int extra = a.chain().w(st2, 1).direct();
        int head = a.chain().r(req.hdr(), 16).w(req.data(), 512).w(req.st(), 1).indirectWithNext(extra);
        return a.submit(head, req.st());
    }

    public static Reaction tableLargerThanQueue(HostileRun a) {
        a.need(FeatureBit.INDIRECT_DESC);
        a.init(HostileRun.DEFAULT_WANTED, 8);
        a.arm();
        long hdr = a.header(Blk.T_IN, 8);
        ChainBuilder c = a.chain().r(hdr, 16);
        for (int i = 0; i < 17; i++) {
            c.w(a.in(512), 512);
        }
        long st = a.status();
        int head = c.w(st, 1).indirect();
        return a.submit(head, st);
    }

    public static Reaction indirectNotNegotiated(HostileRun a) {
        a.need(FeatureBit.INDIRECT_DESC);
        a.init(HostileRun.DEFAULT_WANTED & ~FeatureBit.mask(FeatureBit.INDIRECT_DESC), 0);
        a.arm();
        long hdr = a.header(Blk.T_IN, 8);
        long data = a.in(512);
        long st = a.status();
        int head = a.chain().r(hdr, 16).w(data, 512).w(st, 1).indirect();
        return a.submit(head, st);
    }

    public static Reaction manyEmptyEntries(HostileRun a) {
        a.need(FeatureBit.INDIRECT_DESC);
        a.init();
        a.arm();
        long st = a.status();
        ChainBuilder c = a.chain();
        for (int i = 0; i < 4095; i++) {
            c.r(a.ramEnd() - 4096, 0);
        }
        int head = c.w(st, 1).indirect();
        return a.submit(head, st);
    }

    public static Reaction wholeDisk(HostileRun a) {
        a.init();
        a.arm();
        long cap = a.driver().capacity();
        int bytes = (int) Math.min(cap * 512, 1 << 20);
        long hdr = a.header(Blk.T_IN, 0);
        long data = a.in(bytes);
        long st = a.status();
        return a.submit(a.chain().r(hdr, 16).w(data, bytes).w(st, 1).direct(), st);
    }

    public static Reaction getId(HostileRun a, Mode m, int[] pieces, boolean writable) {
        needFor(a, m);
        a.init();
        a.arm();
        long hdr = a.header(Blk.T_GET_ID, 0);
        Bent b = new Bent().add(hdr, 16, false);
        for (int len : pieces) {
            long g = writable ? a.in(len) : a.out(len, 5);
            b.add(g, len, writable);
        }
        long st = a.status();
        b.add(st, 1, true);
        return a.submit(commit(a, b, m), st);
    }

    public static Reaction getIdMerged(HostileRun a) {
        a.need(FeatureBit.INDIRECT_DESC);
        a.init();
        a.arm();
        long hdr = a.header(Blk.T_GET_ID, 0);
        long buf = a.in(20);
        a.driver().ram().putU8(buf + 19, 0xa5);
        int head = a.chain().r(hdr, 16).w(buf, 20).indirect(1, 0, -1);
        return a.submit(head, buf + 19);
    }
}
