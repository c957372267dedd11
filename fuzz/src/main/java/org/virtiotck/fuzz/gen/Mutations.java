package org.virtiotck.fuzz.gen;

import static org.virtiotck.spec.MmioRegister.*;

import java.util.ArrayList;
import java.util.List;
import org.virtiotck.fuzz.exec.Executor;
import org.virtiotck.fuzz.exec.TargetProfile;
import org.virtiotck.fuzz.program.Op;
import org.virtiotck.fuzz.program.Program;
import org.virtiotck.spec.Blk;
import org.virtiotck.spec.SplitRing;
import org.virtiotck.tck.gen.Source;

/**
 * Named structure-aware mutation strategies over a program's ops. Every parameter is drawn from a {@link Source},
 * so a mutation inside {@link ProgramGen} is part of the program's choice sequence (replayable, shrinkable); the
 * same strategies also apply to any program directly ({@link #apply(Strategy, Program, Source)}), e.g. to programs
 * loaded from JSON. A strategy that finds nothing to work on leaves the program unchanged.
 */
public final class Mutations {

    /** The strategies, in the order the generator's choice selects them (first = simplest). */
    public enum Strategy {
        /** Flip descriptor flag bits (NEXT, WRITE, INDIRECT, undefined bits). */
        FLAGS,
        /** Point a descriptor at edge addresses: 0, end of RAM, past RAM, 2^32, the rings, unaligned. */
        ADDRESSES,
        /** Edge descriptor lengths: 0, 1, 15, 17, 511, 513, 2^31, 2^32-1. */
        LENGTHS,
        /** Chain shape: next to itself, backwards, out of range; drop or add NEXT. */
        CHAIN_SHAPE,
        /** Avail idx jumps, out-of-range heads, repeated heads. */
        RING_INDICES,
        /** Turn a buffer into an indirect table, nest indirect tables, indirect with bad lengths. */
        INDIRECT,
        /** QueueNum edge values: 0, 1, non-powers of two, above QueueNumMax, 32768, 65535. */
        QUEUE_SIZE,
        /** Move one op elsewhere (out-of-order init, notify before avail, descriptors after notify). */
        REORDER,
        /** Insert register accesses: odd widths, undefined offsets, config space, read-only registers. */
        REGISTERS,
        /** Insert resets, queue resets, QueueReady = 0, Status writes clearing bits. */
        RESETS,
        /** Mutate request headers: unknown types, sectors at and past capacity, ioprio bits. */
        REQUESTS,
        /** Duplicate an op (same head twice, double notify) or delete one. */
        DUPLICATE,
        /**
         * Legacy (Version 1) queue layout: QueueAlign and GuestPageSize edge values, GuestPageSize missing or late,
         * a queue base off the page, QueueAlign or QueueNumMax touched while the queue is live, QueuePFN = 0.
         * Leaves programs without a legacy queue setup unchanged.
         */
        LEGACY_LAYOUT
    }

    private final TargetProfile profile;

    private static final Strategy[] STRATEGIES = Strategy.values();

    public Mutations(TargetProfile profile) {
        this.profile = profile;
    }

    /** Draws a strategy and applies it to {@code ops} in place. */
    public Strategy applyRandom(Source s, List<Op> ops) {
        Strategy st = STRATEGIES[(int) s.choice(STRATEGIES.length - 1, r -> r.nextInt(STRATEGIES.length))];
        apply(st, s, ops);
        return st;
    }

    public Program apply(Strategy st, Program p, Source s) {
        List<Op> ops = p.mutableOps();
        apply(st, s, ops);
        return new Program(ops);
    }

    /** Splices two programs: a prefix of {@code a} then a suffix of {@code b}. */
    public static Program splice(Program a, Program b, Source s) {
        int i = a.size() == 0 ? 0 : (int) s.choice(a.size(), r -> r.nextInt(a.size() + 1));
        int j = b.size() == 0 ? 0 : (int) s.choice(b.size(), r -> r.nextInt(b.size() + 1));
        List<Op> ops = new ArrayList<>(a.ops().subList(0, i));
        ops.addAll(b.ops().subList(j, b.size()));
        if (ops.size() > 256) {
            ops = new ArrayList<>(ops.subList(0, 256));
        }
        return new Program(ops);
    }

    public void apply(Strategy st, Source s, List<Op> ops) {
        switch (st) {
            case FLAGS -> flags(s, ops);
            case ADDRESSES -> addresses(s, ops);
            case LENGTHS -> lengths(s, ops);
            case CHAIN_SHAPE -> chainShape(s, ops);
            case RING_INDICES -> ringIndices(s, ops);
            case INDIRECT -> indirect(s, ops);
            case QUEUE_SIZE -> queueSize(s, ops);
            case REORDER -> reorder(s, ops);
            case REGISTERS -> registers(s, ops);
            case RESETS -> resets(s, ops);
            case REQUESTS -> requests(s, ops);
            case DUPLICATE -> duplicate(s, ops);
            case LEGACY_LAYOUT -> legacyLayout(s, ops);
        }
    }

    // ------------------------------------------------------------------------------------------ helpers

    private static int pick(Source s, int n) {
        return n <= 1 ? 0 : (int) s.choice(n - 1, r -> r.nextInt(n));
    }

    private static long pickOf(Source s, long... values) {
        return values[pick(s, values.length)];
    }

    /**
     * The index of one of the ops of class {@code a} or {@code b} (records: final), picked among them in order (one choice), or -1
     * when there is none (no choice drawn).
     */
    private static int pickIndex(Source s, List<Op> ops, Class<? extends Op> a, Class<? extends Op> b) {
        int n = 0; // two passes (count, then find the one picked) rather than an index array per mutation
        for (int i = 0; i < ops.size(); i++) {
            n += is(ops.get(i), a, b) ? 1 : 0;
        }
        if (n == 0) {
            return -1;
        }
        int k = pick(s, n);
        for (int i = 0; ; i++) {
            if (is(ops.get(i), a, b) && k-- == 0) {
                return i;
            }
        }
    }

    private static boolean is(Op op, Class<? extends Op> a, Class<? extends Op> b) {
        Class<?> c = op.getClass();
        return c == a || c == b;
    }

    /** Applies {@code edit} to one descriptor: a table descriptor or one entry of an indirect table. */
    private interface DescEdit {
        Op.Entry edit(Op.Entry e);
    }

    private static void editDescriptor(Source s, List<Op> ops, DescEdit edit) {
        int i = pickIndex(s, ops, Op.Descriptor.class, Op.IndirectTable.class);
        if (i < 0) {
            return;
        }
        if (ops.get(i) instanceof Op.Descriptor d) {
            Op.Entry e = edit.edit(new Op.Entry(d.addr(), d.len(), d.flags(), d.next()));
            ops.set(i, new Op.Descriptor(d.queue(), d.index(), e.addr(), e.len(), e.flags(), e.next()));
        } else if (ops.get(i) instanceof Op.IndirectTable t && !t.entries().isEmpty()) {
            List<Op.Entry> es = new ArrayList<>(t.entries());
            int k = pick(s, es.size());
            es.set(k, edit.edit(es.get(k)));
            ops.set(i, new Op.IndirectTable(t.at(), es));
        }
    }

    private static int insertionPoint(Source s, List<Op> ops) {
        return ops.isEmpty() ? 0 : (int) s.choice(ops.size(), r -> r.nextInt(ops.size() + 1));
    }

    // ------------------------------------------------------------------------------------------ strategies

    private void flags(Source s, List<Op> ops) {
        int bit = (int) pickOf(s, SplitRing.DESC_F_NEXT, SplitRing.DESC_F_WRITE, SplitRing.DESC_F_INDIRECT, 8,
                0x8000, 0xfff8);
        editDescriptor(s, ops, e -> new Op.Entry(e.addr(), e.len(), e.flags() ^ bit, e.next()));
    }

    private void addresses(Source s, List<Op> ops) {
        long ram = 4L << 20;
        int kind = pick(s, 9);
        long delta = s.choice(64, r -> r.nextInt(65));
        editDescriptor(s, ops, e -> new Op.Entry(switch (kind) {
            case 0 -> 0; // the descriptor table itself
            case 1 -> e.addr() + delta; // shifted (overlaps the next buffer)
            case 2 -> e.addr() - delta;
            case 3 -> ram - 1;
            case 4 -> 1L << 32;
            case 5 -> -1L;
            case 6 -> Executor.ARENA - 8;
            case 7 -> 0x1000_0000_0000L;
            default -> -16L * (1 + delta);
        }, e.len(), e.flags(), e.next()));
    }

    private void lengths(Source s, List<Op> ops) {
        long len = pickOf(s, 0, 1, 15, 17, 511, 513, 4096, 0x8000_0000L, 0xffff_ffffL, 2, 16);
        editDescriptor(s, ops, e -> new Op.Entry(e.addr(), len, e.flags(), e.next()));
    }

    private void chainShape(Source s, List<Op> ops) {
        int mode = pick(s, 5);
        int target = (int) pickOf(s, 0, 1, 7, 8, 255, 0xffff);
        int i = pickIndex(s, ops, Op.Descriptor.class, Op.Descriptor.class);
        if (i < 0) {
            return;
        }
        Op.Descriptor d = (Op.Descriptor) ops.get(i);
        Op.Descriptor m = switch (mode) {
            case 0 -> new Op.Descriptor(d.queue(), d.index(), d.addr(), d.len(), d.flags() | SplitRing.DESC_F_NEXT,
                    d.index()); // loop to itself
            case 1 -> new Op.Descriptor(d.queue(), d.index(), d.addr(), d.len(), d.flags() | SplitRing.DESC_F_NEXT,
                    0); // back to the first
            case 2 -> new Op.Descriptor(d.queue(), d.index(), d.addr(), d.len(), d.flags() | SplitRing.DESC_F_NEXT,
                    target);
            case 3 -> new Op.Descriptor(d.queue(), d.index(), d.addr(), d.len(), d.flags() & ~SplitRing.DESC_F_NEXT,
                    d.next()); // cut the chain
            default -> new Op.Descriptor(d.queue(), target, d.addr(), d.len(), d.flags(), d.next()); // other slot
        };
        ops.set(i, m);
    }

    private void ringIndices(Source s, List<Op> ops) {
        int mode = pick(s, 3);
        int at = insertionPoint(s, ops);
        switch (mode) {
            case 0 -> ops.add(at, new Op.AvailIdx(0, (int) pickOf(s, 0, 1, 2, 9, 17, 0x8000, 0xffff, 0xfffe)));
            case 1 -> ops.add(at, new Op.Avail(0, (int) pickOf(s, 0, 1, 7, 8, 255, 256, 0xffff)));
            default -> {
                ops.add(at, new Op.Avail(0, (int) pickOf(s, 0, 1, 2)));
                ops.add(Math.min(at + 1, ops.size()), new Op.Notify(0));
            }
        }
    }

    private void indirect(Source s, List<Op> ops) {
        int mode = pick(s, 3);
        int i = pickIndex(s, ops, Op.Descriptor.class, Op.Descriptor.class);
        if (i < 0) {
            return;
        }
        Op.Descriptor d = (Op.Descriptor) ops.get(i);
        long table = Executor.ARENA - 0x400;
        switch (mode) {
            case 0 -> { // an indirect table of one entry pointing at the old buffer, plus stray flags
                ops.add(i, new Op.IndirectTable(table, List.of(new Op.Entry(d.addr(), d.len(),
                        d.flags() & SplitRing.DESC_F_WRITE, 0))));
                ops.set(i + 1, new Op.Descriptor(d.queue(), d.index(), table, 16, d.flags() | SplitRing.DESC_F_INDIRECT,
                        d.next()));
            }
            case 1 -> { // nested indirect
                ops.add(i, new Op.IndirectTable(table, List.of(new Op.Entry(table, 16, SplitRing.DESC_F_INDIRECT, 0))));
                ops.set(i + 1, new Op.Descriptor(d.queue(), d.index(), table, 16, SplitRing.DESC_F_INDIRECT, 0));
            }
            default -> // INDIRECT on the buffer itself: the data is read as descriptors, len maybe not a multiple of 16
                    ops.set(i, new Op.Descriptor(d.queue(), d.index(), d.addr(), d.len(),
                            d.flags() | SplitRing.DESC_F_INDIRECT, d.next()));
        }
    }

    private void queueSize(Source s, List<Op> ops) {
        int size = (int) pickOf(s, 0, 1, 3, 6, profile.queueNumMax() + 1L, 32768, 65535, 2, 512);
        int i = pickIndex(s, ops, Op.QueueSetup.class, Op.QueueSetup.class);
        if (i < 0) {
            return;
        }
        Op.QueueSetup q = (Op.QueueSetup) ops.get(i);
        ops.set(i, new Op.QueueSetup(q.queue(), size, q.desc(), q.avail(), q.used(), q.align()));
    }

    private void legacyLayout(Source s, List<Op> ops) {
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++) {
            if (ops.get(i) instanceof Op.QueueSetup q && q.legacy()) {
                idx.add(i);
            }
        }
        if (idx.isEmpty()) {
            return;
        }
        int i = idx.get(pick(s, idx.size()));
        Op.QueueSetup q = (Op.QueueSetup) ops.get(i);
        switch (pick(s, 7)) {
            case 0 -> ops.set(i, new Op.QueueSetup(q.queue(), q.size(), q.desc(), q.avail(), q.used(),
                    (int) pickOf(s, 4096, 16, 8192, 3, 0x80000000L, 1, 0xffffffffL)));
            case 1 -> { // GuestPageSize: edge values, or dropped (the device then assumes 4096)
                int g = indexOfWrite(ops, GUEST_PAGE_SIZE);
                long v = pickOf(s, 0, 1, 512, 1024, 8192, 3, 0x10000, -1);
                if (g >= 0 && v == -1) {
                    ops.remove(g);
                } else if (g >= 0) {
                    ops.set(g, new Op.Write(GUEST_PAGE_SIZE, 4, v));
                } else {
                    ops.add(i, new Op.Write(GUEST_PAGE_SIZE, 4, v & 0xffffffffL));
                }
            }
            case 2 -> { // GuestPageSize written after the queue is live
                int g = indexOfWrite(ops, GUEST_PAGE_SIZE);
                if (g >= 0 && g < i) {
                    ops.add(i, ops.remove(g)); // the setup moved to i - 1: i is right after it
                }
            }
            case 3 -> ops.set(i, new Op.QueueSetup(q.queue(), q.size(),
                    q.desc() + pickOf(s, 16, 2048, 4096, 1, Executor.ARENA, -4096), q.avail(), q.used(), q.align()));
            case 4 -> ops.add(i + 1, new Op.Write(QUEUE_ALIGN, 4, pickOf(s, 16, 8192, 0)));
            case 5 -> ops.add(i + 1, new Op.Read(QUEUE_NUM_MAX, 4));
            default -> ops.add(insertionPoint(s, ops), new Op.Write(QUEUE_PFN, 4, 0));
        }
    }

    private static int indexOfWrite(List<Op> ops, int offset) {
        for (int i = 0; i < ops.size(); i++) {
            if (ops.get(i) instanceof Op.Write w && w.offset() == offset) {
                return i;
            }
        }
        return -1;
    }

    private void reorder(Source s, List<Op> ops) {
        if (ops.size() < 2) {
            return;
        }
        int from = pick(s, ops.size());
        Op op = ops.remove(from);
        int to = pick(s, ops.size() + 1);
        ops.add(to, op);
    }

    private static final int[] REGS = {MAGIC_VALUE, VERSION, DEVICE_ID, VENDOR_ID, DEVICE_FEATURES,
            DEVICE_FEATURES_SEL, DRIVER_FEATURES, DRIVER_FEATURES_SEL, GUEST_PAGE_SIZE, QUEUE_SEL, QUEUE_NUM_MAX,
            QUEUE_NUM, QUEUE_ALIGN, QUEUE_PFN, QUEUE_READY, QUEUE_NOTIFY, INTERRUPT_STATUS, INTERRUPT_ACK, STATUS,
            SHM_SEL, SHM_LEN_LOW, SHM_BASE_LOW, QUEUE_RESET, CONFIG_GENERATION, CONFIG, CONFIG + 8, CONFIG + 0x20,
            CONFIG + 0x22, 0x018, 0x0c4, 0x0f0, 0x1fc};

    private void registers(Source s, List<Op> ops) {
        boolean write = s.bool(0.4);
        int base = REGS[pick(s, REGS.length)];
        int skew = (int) s.choice(7, r -> r.nextInt(4) == 0 ? r.nextInt(8) : 0);
        int width = (int) pickOf(s, 4, 1, 2, 8, 3, 5, 6, 7);
        int at = insertionPoint(s, ops);
        int off = (base + skew) & 0x1ff;
        if (off + width > 0x200) {
            off = 0x200 - width;
        }
        if (write) {
            long value = s.choice(-1L, r -> switch (r.nextInt(4)) {
                case 0 -> 0;
                case 1 -> 1;
                case 2 -> r.nextLong(0x100);
                default -> r.nextLong();
            });
            ops.add(at, new Op.Write(off, width, value));
        } else {
            ops.add(at, new Op.Read(off, width));
        }
    }

    private void resets(Source s, List<Op> ops) {
        int mode = pick(s, 4);
        int at = insertionPoint(s, ops);
        switch (mode) {
            case 0 -> ops.add(at, new Op.SetStatus(0));
            case 1 -> ops.add(at, new Op.QueueReset(0));
            case 2 -> ops.add(at, new Op.QueueReady(0, 0));
            default -> ops.add(at, new Op.SetStatus((int) pickOf(s, 1, 3, 7, 0x0b, 0x40, 0x80, 0x8f, 0x10)));
        }
    }

    private void requests(Source s, List<Op> ops) {
        int i = pickIndex(s, ops, Op.Header.class, Op.Segment.class);
        if (i < 0) {
            return;
        }
        long cap = profile.capacitySectors();
        int mode = pick(s, 4);
        long sector = pickOf(s, cap, cap - 1, cap + 1, -1L, 1L << 55, 0x7fffffffffffffL, 0);
        int type = (int) pickOf(s, Blk.T_IN, Blk.T_OUT, Blk.T_FLUSH, Blk.T_GET_ID, Blk.T_FLUSH_OUT_LEGACY,
                Blk.T_DISCARD, Blk.T_WRITE_ZEROES, Blk.T_SECURE_ERASE, Blk.T_GET_LIFETIME, Blk.T_ZONE_APPEND,
                Blk.T_ZONE_REPORT, 3, 0x7fffffff, 0x80000000L, 0xffffffffL);
        if (ops.get(i) instanceof Op.Header h) {
            ops.set(i, switch (mode) {
                case 0 -> new Op.Header(h.at(), type, h.ioprio(), h.sector());
                case 1 -> new Op.Header(h.at(), h.type(), h.ioprio(), sector);
                case 2 -> new Op.Header(h.at(), h.type(), (int) pickOf(s, 1, 0x80000000L, 0xffffffffL), h.sector());
                default -> new Op.Header(h.at(), type, h.ioprio(), sector);
            });
        } else if (ops.get(i) instanceof Op.Segment g) {
            ops.set(i, switch (mode) {
                case 0 -> new Op.Segment(g.at(), g.sector(), g.sectors(), (int) pickOf(s, 1, 2, 0x80000000L));
                case 1 -> new Op.Segment(g.at(), sector, g.sectors(), g.flags());
                default -> new Op.Segment(g.at(), g.sector(), (int) pickOf(s, 0, 0xffffffffL, cap + 1), g.flags());
            });
        }
    }

    private void duplicate(Source s, List<Op> ops) {
        if (ops.isEmpty()) {
            return;
        }
        int i = pick(s, ops.size());
        if (s.bool(0.3)) {
            ops.remove(i);
        } else {
            ops.add(Math.min(ops.size(), i + 1 + pick(s, 3)), ops.get(i));
        }
    }
}
