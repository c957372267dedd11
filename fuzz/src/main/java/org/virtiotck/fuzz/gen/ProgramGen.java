package org.virtiotck.fuzz.gen;

import static org.virtiotck.spec.MmioRegister.*;

import java.util.ArrayList;
import java.util.List;
import org.virtiotck.fuzz.exec.TargetProfile;
import org.virtiotck.fuzz.program.Op;
import org.virtiotck.fuzz.program.Program;
import org.virtiotck.spec.Blk;
import org.virtiotck.spec.DeviceStatus;
import org.virtiotck.spec.FeatureBit;
import org.virtiotck.spec.SplitRing;
import org.virtiotck.tck.gen.Gen;
import org.virtiotck.tck.gen.Source;

/**
 * Generates programs with the project's choice-sequence generator: a mostly valid skeleton (reset, identification,
 * feature negotiation, one queue, DRIVER_OK, a few block requests with their descriptor chains, avail pushes and
 * notifications), followed by a list of {@linkplain Mutations named structured mutations}. Every decision is a
 * recorded choice, so any generated program can be replayed from its choices, mutated by prefix replay
 * ({@code Source.replay(prefix, seed)}) and shrunk by the {@link org.virtiotck.tck.gen.Shrinker}; the simplest
 * choices give one queue of 8, no optional features and no mutation.
 */
public final class ProgramGen implements Gen<Program> {
    private final TargetProfile profile;
    private final Mutations mutations;
    private final int maxMutations;
    private final Gen<Long> optionalFeatures;

    public ProgramGen(TargetProfile profile) {
        this(profile, 6);
    }

    public ProgramGen(TargetProfile profile, int maxMutations) {
        this.profile = profile;
        this.mutations = new Mutations(profile);
        this.maxMutations = maxMutations;
        this.optionalFeatures = Gen.subsetOf(profile.offeredFeatures() & OPTIONAL);
    }

    /** The features a skeleton may negotiate, when offered; the rest are left out (or fixed, as VERSION_1). */
    private static final long OPTIONAL = FeatureBit.mask(FeatureBit.INDIRECT_DESC)
            | FeatureBit.mask(FeatureBit.EVENT_IDX) | FeatureBit.mask(FeatureBit.RING_RESET)
            | FeatureBit.mask(FeatureBit.BLK_FLUSH) | FeatureBit.mask(FeatureBit.BLK_DISCARD)
            | FeatureBit.mask(FeatureBit.BLK_WRITE_ZEROES) | FeatureBit.mask(FeatureBit.BLK_CONFIG_WCE)
            | FeatureBit.mask(FeatureBit.BLK_BLK_SIZE) | FeatureBit.mask(FeatureBit.BLK_SEG_MAX)
            | FeatureBit.mask(FeatureBit.BLK_SIZE_MAX) | FeatureBit.mask(FeatureBit.BLK_LIFETIME)
            | FeatureBit.mask(FeatureBit.BLK_SECURE_ERASE) | FeatureBit.mask(FeatureBit.BLK_RO)
            | FeatureBit.mask(FeatureBit.BLK_TOPOLOGY);
    /**
     * Span labels (for the shrinker): the skeleton, one mutation, the feature subset. Fixed numbers rather than
     * {@link Source#draw}'s per-source labels, which cost a map for every program generated.
     */
    private static final int SKELETON_SPAN = 1;
    private static final int MUTATION_SPAN = 2;
    private static final int FEATURES_SPAN = 3;

    public Mutations mutations() {
        return mutations;
    }

    /** Ring and buffer placement for one queue of {@code size}, as RAM offsets. */
    public record Layout(int size, long desc, long avail, long used, long buffers) {
        public static Layout of(int size) {
            long desc = 0;
            long avail = desc + SplitRing.descTableBytes(size);
            long used = (avail + SplitRing.availRingBytes(size) + 3) & ~3L;
            long buffers = (used + SplitRing.usedRingBytes(size) + 15) & ~15L;
            return new Layout(size, desc, avail, used, buffers);
        }

        /** The legacy contiguous layout (§2.7.2) from RAM offset 0 with the used ring aligned to {@code align}. */
        public static Layout legacy(int size, long align) {
            long desc = 0;
            long avail = desc + SplitRing.descTableBytes(size);
            long used = desc + SplitRing.legacyUsedOffset(size, align);
            long buffers = (used + SplitRing.usedRingBytes(size) + 15) & ~15L;
            return new Layout(size, desc, avail, used, buffers);
        }
    }

    /** Page size and used-ring alignment of the legacy skeleton (what Linux and QEMU use). */
    public static final int LEGACY_PAGE = 4096;

    @Override
    public Program generate(Source s) {
        List<Op> ops = new ArrayList<>(64); // a skeleton has 25-45 ops, mutations add a few
        s.startSpan(SKELETON_SPAN);
        skeleton(s, ops);
        s.endSpan();
        // Mutations: each one is "one more?" then a strategy and its parameters (simplest: none).
        int count = 0;
        while (count < maxMutations) {
            int p = count == 0 ? 60 : 45;
            if (s.choice(1, r -> r.nextInt(100) < p ? 1 : 0) == 0) {
                break;
            }
            s.startSpan(MUTATION_SPAN);
            mutations.applyRandom(s, ops);
            s.endSpan();
            count++;
        }
        return new Program(ops);
    }

    private static final int[] SIZES = {8, 16, 4, 2, 1, 32, 64, 128, 256};
    private static final int[] TYPES = {Blk.T_IN, Blk.T_OUT, Blk.T_FLUSH, Blk.T_GET_ID, Blk.T_WRITE_ZEROES,
            Blk.T_DISCARD, Blk.T_GET_LIFETIME, Blk.T_SECURE_ERASE};

    private void skeleton(Source s, List<Op> ops) {
        int qsize = SIZES[(int) s.choice(SIZES.length - 1, r -> r.nextInt(10) < 6 ? 0 : r.nextInt(SIZES.length))];
        qsize = Math.min(qsize, Math.max(1, Integer.highestOneBit(profile.queueNumMax())));
        boolean legacy = profile.legacy();
        Layout l = legacy ? Layout.legacy(qsize, LEGACY_PAGE) : Layout.of(qsize);
        long offered = profile.offeredFeatures();
        s.startSpan(FEATURES_SPAN);
        long chosen = optionalFeatures.generate(s);
        s.endSpan();
        if (!legacy) {
            chosen |= FeatureBit.mask(FeatureBit.VERSION_1);
        } else {
            // Legacy: 32 feature bits only; a legacy driver accepts ANY_LAYOUT when offered (reserved-legacy.drv.1).
            chosen = (chosen | (offered & FeatureBit.mask(FeatureBit.ANY_LAYOUT))) & 0xffffffffL;
        }
        boolean indirect = FeatureBit.has(chosen, FeatureBit.INDIRECT_DESC);

        ops.add(new Op.SetStatus(0));
        ops.add(new Op.Read(MAGIC_VALUE, 4));
        ops.add(new Op.Read(VERSION, 4));
        ops.add(new Op.Read(DEVICE_ID, 4));
        int st = DeviceStatus.ACKNOWLEDGE;
        ops.add(new Op.SetStatus(st));
        st |= DeviceStatus.DRIVER;
        ops.add(new Op.SetStatus(st));
        if (legacy) {
            // Legacy init (§4.2.4, §3.1.1 legacy): one feature word, no FEATURES_OK; GuestPageSize once, then the
            // queue: QueueSel, QueueNumMax (read while QueuePFN is still 0), QueueNum, QueueAlign, QueuePFN.
            ops.add(new Op.Write(DEVICE_FEATURES_SEL, 4, 0));
            ops.add(new Op.Read(DEVICE_FEATURES, 4));
            ops.add(new Op.Features(0, (int) chosen));
            ops.add(new Op.Write(GUEST_PAGE_SIZE, 4, LEGACY_PAGE));
            ops.add(new Op.Write(QUEUE_SEL, 4, 0));
            ops.add(new Op.Read(QUEUE_NUM_MAX, 4));
            ops.add(new Op.QueueSetup(0, qsize, l.desc(), l.avail(), l.used(), LEGACY_PAGE));
            ops.add(new Op.Read(QUEUE_PFN, 4));
        } else {
            ops.add(new Op.Write(DEVICE_FEATURES_SEL, 4, 0));
            ops.add(new Op.Read(DEVICE_FEATURES, 4));
            ops.add(new Op.Write(DEVICE_FEATURES_SEL, 4, 1));
            ops.add(new Op.Read(DEVICE_FEATURES, 4));
            ops.add(new Op.Features(0, (int) chosen));
            ops.add(new Op.Features(1, (int) (chosen >>> 32)));
            st |= DeviceStatus.FEATURES_OK;
            ops.add(new Op.SetStatus(st));
            ops.add(new Op.Read(STATUS, 4));
            ops.add(new Op.QueueSetup(0, qsize, l.desc(), l.avail(), l.used()));
            ops.add(new Op.Read(QUEUE_NUM_MAX, 4));
            ops.add(new Op.QueueReady(0, 1));
        }
        st |= DeviceStatus.DRIVER_OK;
        ops.add(new Op.SetStatus(st));
        if (s.bool(0.3)) {
            if (legacy) { // legacy config space takes 32-bit accesses for the 64-bit capacity (mmio.drv.5)
                ops.add(new Op.Read(CONFIG, 4));
                ops.add(new Op.Read(CONFIG + 4, 4));
            } else {
                ops.add(new Op.Read(CONFIG, 8));
            }
        }

        int requests = (int) s.choice(4, r -> r.nextInt(10) < 6 ? 2 : r.nextInt(5));
        long buf = l.buffers();
        int nextDesc = 0;
        boolean batch = s.bool(0.3);
        long cap = Math.max(1, profile.capacitySectors());
        for (int k = 0; k < requests; k++) {
            int type = TYPES[(int) s.choice(TYPES.length - 1, r -> r.nextInt(10) < 7 ? r.nextInt(2) : r.nextInt(TYPES.length))];
            int sectors = (int) s.choice(3, r -> r.nextInt(4) == 0 ? r.nextInt(4) : 1);
            long sector = s.choice(cap - 1, r -> r.nextInt(4) == 0 ? cap - 1 - r.nextInt((int) Math.min(cap, 4))
                    : r.nextLong(cap));
            if (sector + sectors > cap) {
                sector = Math.max(0, cap - sectors);
            }
            boolean viaIndirect = indirect && s.bool(0.3);
            long dataLen = switch (type) {
                case Blk.T_IN, Blk.T_OUT -> (long) sectors * Blk.SECTOR_SIZE;
                case Blk.T_GET_ID -> Blk.ID_BYTES;
                case Blk.T_GET_LIFETIME -> Blk.LIFETIME_SIZE;
                case Blk.T_DISCARD, Blk.T_WRITE_ZEROES, Blk.T_SECURE_ERASE -> Blk.SEGMENT_SIZE;
                default -> 0;
            };
            boolean dataWritable = type == Blk.T_IN || type == Blk.T_GET_ID || type == Blk.T_GET_LIFETIME;
            long hdr = buf;
            long data = hdr + Blk.HEADER_SIZE;
            long status = data + dataLen;
            long table = (status + 1 + 15) & ~15L;
            ops.add(new Op.Header(hdr, type, 0, type == Blk.T_FLUSH || type == Blk.T_GET_ID ? 0 : sector));
            if (!dataWritable && dataLen > 0) {
                if (type == Blk.T_OUT) {
                    ops.add(new Op.Payload(data, (int) dataLen, (int) s.choice(255)));
                } else {
                    // one segment: sector, num_sectors, flags
                    ops.add(new Op.Segment(data, sector, Math.max(1, sectors), 0));
                }
            }
            List<Op.Entry> chain = new ArrayList<>(3);
            chain.add(new Op.Entry(hdr, Blk.HEADER_SIZE, 0, 0));
            if (dataLen > 0) {
                chain.add(new Op.Entry(data, dataLen, dataWritable ? SplitRing.DESC_F_WRITE : 0, 0));
            }
            chain.add(new Op.Entry(status, 1, SplitRing.DESC_F_WRITE, 0));
            int head;
            if (viaIndirect) {
                if (nextDesc >= qsize) {
                    break;
                }
                List<Op.Entry> linked = new ArrayList<>(chain.size());
                for (int i = 0; i < chain.size(); i++) {
                    Op.Entry e = chain.get(i);
                    boolean more = i + 1 < chain.size();
                    linked.add(new Op.Entry(e.addr(), e.len(), e.flags() | (more ? SplitRing.DESC_F_NEXT : 0),
                            more ? i + 1 : 0));
                }
                ops.add(new Op.IndirectTable(table, linked));
                head = nextDesc++;
                ops.add(new Op.Descriptor(0, head, table, 16L * linked.size(), SplitRing.DESC_F_INDIRECT, 0));
                buf = (table + 16L * linked.size() + 15) & ~15L;
            } else {
                if (nextDesc + chain.size() > qsize) {
                    break;
                }
                head = nextDesc;
                for (int i = 0; i < chain.size(); i++) {
                    Op.Entry e = chain.get(i);
                    boolean more = i + 1 < chain.size();
                    ops.add(new Op.Descriptor(0, nextDesc, e.addr(), e.len(),
                            e.flags() | (more ? SplitRing.DESC_F_NEXT : 0), more ? nextDesc + 1 : 0));
                    nextDesc++;
                }
                buf = table;
            }
            ops.add(new Op.Avail(0, head));
            if (!batch) {
                ops.add(new Op.Notify(0));
            }
        }
        if (batch && requests > 0) {
            ops.add(new Op.Notify(0));
        }
        ops.add(new Op.Read(INTERRUPT_STATUS, 4));
        ops.add(new Op.Ack(3));
    }
}
