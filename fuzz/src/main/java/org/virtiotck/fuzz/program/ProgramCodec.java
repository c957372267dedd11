package org.virtiotck.fuzz.program;

import java.util.ArrayList;
import java.util.List;
import org.virtiotck.tck.gen.ChoiceSequence;
import org.virtiotck.tck.gen.Gen;
import org.virtiotck.tck.gen.Source;

/**
 * A bijection between programs and choice sequences, so that the project's {@link org.virtiotck.tck.gen.Shrinker}
 * can minimize <em>any</em> program (also ones built by program-level mutation or loaded from JSON): {@link #encode}
 * writes each op as "one more" (1), its kind, then its fields as raw choices; {@link #GEN} reads them back. Each op
 * is a span, so the shrinker deletes whole ops; fields shrink towards 0.
 */
public final class ProgramCodec {
    private static final long U32 = 0xffffffffL;
    private static final long U16 = 0xffffL;
    private static final int MAX_ENTRIES = 64;

    private ProgramCodec() {
    }

    /** Decodes a program from choices (replay mode); in random mode it draws the empty program. */
    public static final Gen<Program> GEN = ProgramCodec::decode;

    public static ChoiceSequence encode(Program p) {
        List<Long> out = new ArrayList<>();
        for (Op op : p.ops()) {
            out.add(1L);
            switch (op) {
                case Op.Read r -> add(out, 0, r.offset() & U32, r.width());
                case Op.Write w -> add(out, 1, w.offset() & U32, w.width(), w.value());
                case Op.SetStatus s -> add(out, 2, s.value() & U32);
                case Op.Features f -> add(out, 3, f.select() & U32, f.value() & U32);
                case Op.QueueSetup q when q.legacy() -> add(out, 16, q.queue() & U32, q.size() & U32, q.desc(),
                        q.avail(), q.used(), q.align() & U32);
                case Op.QueueSetup q -> add(out, 4, q.queue() & U32, q.size() & U32, q.desc(), q.avail(), q.used());
                case Op.QueueReady q -> add(out, 5, q.queue() & U32, q.value() & U32);
                case Op.QueueReset q -> add(out, 6, q.queue() & U32);
                case Op.Descriptor d -> add(out, 7, d.queue() & U32, d.index() & U16, d.addr(), d.len() & U32,
                        d.flags() & U16, d.next() & U16);
                case Op.IndirectTable t -> {
                    add(out, 8, t.at(), Math.min(t.entries().size(), MAX_ENTRIES));
                    for (int i = 0; i < Math.min(t.entries().size(), MAX_ENTRIES); i++) {
                        Op.Entry e = t.entries().get(i);
                        add(out, e.addr(), e.len() & U32, e.flags() & U16, e.next() & U16);
                    }
                }
                case Op.Header h -> add(out, 9, h.at(), h.type() & U32, h.ioprio() & U32, h.sector());
                case Op.Payload pl -> add(out, 10, pl.at(), pl.len() & U32, pl.seed() & U32);
                case Op.Avail a -> add(out, 11, a.queue() & U32, a.head() & U16);
                case Op.AvailIdx a -> add(out, 12, a.queue() & U32, a.idx() & U16);
                case Op.Notify n -> add(out, 13, n.queue() & U32);
                case Op.Ack a -> add(out, 14, a.bits() & U32);
                case Op.Segment g -> add(out, 15, g.at(), g.sector(), g.sectors() & U32, g.flags() & U32);
            }
        }
        out.add(0L);
        return ChoiceSequence.of(out);
    }

    private static void add(List<Long> out, long... v) {
        for (long x : v) {
            out.add(x);
        }
    }

    private static long c(Source s, long max) {
        return s.choice(max, r -> 0);
    }

    private static Program decode(Source s) {
        List<Op> ops = new ArrayList<>();
        int label = s.label(GEN_LABEL);
        while (true) {
            s.startSpan(label);
            try {
                if (c(s, 1) == 0) {
                    break;
                }
                ops.add(decodeOp(s));
            } finally {
                s.endSpan();
            }
        }
        return new Program(ops);
    }

    private static final Object GEN_LABEL = new Object();

    private static Op decodeOp(Source s) {
        int kind = (int) c(s, 16);
        return switch (kind) {
            case 0 -> new Op.Read((int) c(s, U32), (int) Math.max(1, Math.min(8, c(s, 8))));
            case 1 -> new Op.Write((int) c(s, U32), (int) Math.max(1, Math.min(8, c(s, 8))), c(s, -1L));
            case 2 -> new Op.SetStatus((int) c(s, U32));
            case 3 -> new Op.Features((int) c(s, U32), (int) c(s, U32));
            case 4 -> new Op.QueueSetup((int) c(s, U32), (int) c(s, U32), c(s, -1L), c(s, -1L), c(s, -1L));
            case 5 -> new Op.QueueReady((int) c(s, U32), (int) c(s, U32));
            case 6 -> new Op.QueueReset((int) c(s, U32));
            case 7 -> new Op.Descriptor((int) c(s, U32), (int) c(s, U16), c(s, -1L), c(s, U32), (int) c(s, U16),
                    (int) c(s, U16));
            case 8 -> {
                long at = c(s, -1L);
                int n = (int) c(s, MAX_ENTRIES);
                List<Op.Entry> entries = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    entries.add(new Op.Entry(c(s, -1L), c(s, U32), (int) c(s, U16), (int) c(s, U16)));
                }
                yield new Op.IndirectTable(at, entries);
            }
            case 9 -> new Op.Header(c(s, -1L), (int) c(s, U32), (int) c(s, U32), c(s, -1L));
            case 10 -> new Op.Payload(c(s, -1L), (int) Math.min(c(s, U32), 1 << 20), (int) c(s, U32));
            case 11 -> new Op.Avail((int) c(s, U32), (int) c(s, U16));
            case 12 -> new Op.AvailIdx((int) c(s, U32), (int) c(s, U16));
            case 13 -> new Op.Notify((int) c(s, U32));
            case 14 -> new Op.Ack((int) c(s, U32));
            case 15 -> new Op.Segment(c(s, -1L), c(s, -1L), (int) c(s, U32), (int) c(s, U32));
            default -> new Op.QueueSetup((int) c(s, U32), (int) c(s, U32), c(s, -1L), c(s, -1L), c(s, -1L),
                    (int) Math.max(1, c(s, U32))); // kind 16: a legacy queue setup (align != 0)
        };
    }
}
