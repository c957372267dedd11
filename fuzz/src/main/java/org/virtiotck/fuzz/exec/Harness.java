package org.virtiotck.fuzz.exec;

import static org.virtiotck.fuzz.exec.Complaint.Kind.DISK;

import java.util.Arrays;
import java.util.List;
import java.util.function.LongConsumer;
import org.virtiotck.fuzz.program.Op;
import org.virtiotck.fuzz.program.Program;
import org.virtiotck.spec.Blk;
import org.virtiotck.tck.spi.HostControl;
import org.virtiotck.tck.spi.Target;
import org.virtiotck.tck.spi.TargetUri;
import org.virtiotck.tck.spi.Targets;
import org.virtiotck.tck.adapter.reference.ReferenceTarget;

/**
 * Runs each program on the reference device (in-process, the oracle) and then on the target, and judges the pair:
 * the {@link Differential} oracle, the invariants inside it (canaries, faults), and the disk-integrity oracle
 * (through {@link HostControl}, when both sides offer it: after every completed OUT, the written sectors and their
 * neighbours must read the same on both disks).
 *
 * <p><b>The reference device as its own oracle.</b> When the target is the undecorated in-process reference device
 * opened from a {@code reference} URI, the oracle would be a second copy of the same deterministic device, fed the
 * same program from the same state: its observation is the target's, byte for byte, so every comparison between
 * the two is a comparison of an observation with itself. The harness then runs each program once, on the target in
 * the oracle's role (with the strict model's driver-rule record), and judges that observation as both sides: the
 * checks of the target against the harness's own model (used len within the chain's writable bytes, faults,
 * protocol) stay, and the run costs half. {@code SelfOracleTest} shows that this judges and steers a campaign
 * exactly as two copies do.
 *
 * <p>The disks persist between runs (only a cheap device reset separates runs), so both disks stay identical as
 * long as the target behaves like the reference. When a program broke driver rules and carried write requests,
 * the disks may legitimately diverge: IN data and disk comparisons are then off until both sides are hard-reset,
 * which happens every {@value #RESYNC_EVERY} runs.
 */
public final class Harness implements AutoCloseable {
    static final int RESYNC_EVERY = 2048;
    /** Tags of the two sides' behaviour features ({@link #features}). */
    static final int TARGET_SIDE = 0x1000;
    static final int ORACLE_SIDE = 0x2000;

    private final Target target;
    private final Target oracle;
    private final Executor tgt;
    private final Executor ref;
    private final Differential differential;
    private final TargetProfile profile;
    /** Both sides are fresh in-process reference devices from the same URI: a hard reset leaves equal disks. */
    private final boolean sameDevice;
    private boolean disksInSync;
    private boolean resetPending;
    private long lastCalls;
    private int outOfSyncRuns;
    private long runs;
    private long hardResets;

    public Harness(Target target, Target oracle, TargetProfile profile, boolean oddWidths, long settleMillis) {
        this(target, oracle, profile, oddWidths, settleMillis, false);
    }

    private Harness(Target target, Target oracle, TargetProfile profile, boolean oddWidths, long settleMillis,
                    boolean sameDevice) {
        this.target = target;
        this.sameDevice = sameDevice;
        this.oracle = oracle;
        this.profile = profile;
        this.ref = new Executor(oracle, true, 0);
        this.tgt = oracle == target ? ref : new Executor(target, oddWidths, settleMillis);
        ref.oracle();
        if (tgt == ref) {
            ref.ownOracle();
        }
        ref.judgeExposure(settleMillis > 0); // an asynchronous target may take a chain any time after its exposure
        tgt.queueNumMax(profile.queueNumMax());
        ref.queueNumMax(profile.queueNumMax());
        long refOffered = TargetProfile.probe(oracle).offeredFeatures();
        this.differential = new Differential(~(refOffered ^ profile.offeredFeatures()))
                .asynchronous(settleMillis > 0);
        this.disksInSync = sameDevice || copyTargetDisk();
    }

    /**
     * Opens the oracle for {@code target}: the same URI when it is an in-process reference target (then both are
     * identical by construction), otherwise a reference device mirroring the probed profile.
     */
    public static Harness forTarget(Target target, String uri, long settleMillis) {
        TargetProfile profile = TargetProfile.probe(target);
        boolean inProcess = false;
        Target oracle;
        try {
            String scheme = TargetUri.parse(uri).scheme();
            inProcess = scheme.equals("reference");
        } catch (RuntimeException e) {
            // not a parseable URI (tests hand in decorated targets): mirror
        }
        if (inProcess && target instanceof ReferenceTarget rt && rt.undecorated()) {
            oracle = target; // a second copy would see exactly what the target sees: see the class comment
        } else if (inProcess) {
            oracle = Targets.open(uri);
        } else {
            int ram = (int) Math.min(Math.max(target.ram().size(), 1 << 20), 64 << 20);
            oracle = new ReferenceTarget("reference (mirror of " + uri + ")", profile.mirror(), ram, d -> d);
        }
        return new Harness(target, oracle, profile, inProcess || target instanceof ReferenceTarget, settleMillis,
                inProcess);
    }

    public TargetProfile profile() {
        return profile;
    }

    public Target target() {
        return target;
    }

    public Target oracle() {
        return oracle;
    }

    public Observation targetObservation() {
        return tgt.observation();
    }

    public Observation referenceObservation() {
        return ref.observation();
    }

    /** Turns off both executors' shortcuts ({@link Executor#withoutShortcuts}); for tests. */
    void withoutShortcuts() {
        ref.withoutShortcuts();
        tgt.withoutShortcuts();
    }

    /** The oracle's executor; for tests. */
    Executor oracleExecutor() {
        return ref;
    }

    public long runs() {
        return runs;
    }

    /** Runs the program on both sides; returns the first oracle complaint, or null. */
    public Complaint run(Program p) {
        runs++;
        if (!disksInSync && ++outOfSyncRuns >= RESYNC_EVERY) {
            hardReset();
        }
        if (resetPending) {
            resetBoth();
        }
        long before = tgt.calls();
        Observation r = ref.run(p, null);
        Observation t = tgt == ref ? r : tgt.run(p, r);
        Complaint v = differential.compare(p, r, t, disksInSync);
        if (v == null && disksInSync && t.fault == null) {
            v = checkDisks(r);
        }
        if (disksInSync && (Differential.strictLimit(r) != Integer.MAX_VALUE || r.pendingAtEnd) && writesDisk(p)) {
            // After a violation, or with chains left exposed (which the target may or may not serve), the disks
            // may differ.
            disksInSync = false;
            outOfSyncRuns = 0;
        }
        if (v != null && t.fault() != null) {
            hardReset(); // the target may be dead: start the next run from a fresh one
        } else if (v != null && writesDisk(p) && disksInSync) {
            disksInSync = false; // the disks may differ now: data comparisons wait for the next resync
            outOfSyncRuns = 0;
        }
        lastCalls = tgt.calls() - before;
        return v;
    }

    /** Target calls (round trips over a wire link) of the last run. */
    public long lastRoundTrips() {
        return lastCalls;
    }

    /**
     * How many hard resets both sides have had (after a target fault, at a disk resync, on request): what ran on
     * this harness before the last one can no longer matter to the next run.
     */
    public long hardResets() {
        return hardResets;
    }

    /** Whether both disks are known to hold the same data. */
    public boolean disksInSync() {
        return disksInSync;
    }

    /** Hard-resets both sides before the next run (fresh devices, fresh disks where the target offers that). */
    public void hardReset() {
        resetPending = true;
        outOfSyncRuns = 0;
    }

    /**
     * Hard-resets both sides, then makes the oracle's disk a copy of the target's (a restarted QEMU keeps its
     * image): the disks are in sync only when that worked, or when both are fresh in-process reference devices.
     */
    private void resetBoth() {
        resetPending = false;
        hardResets++;
        tgt.hardResetNow();
        if (ref != tgt) {
            ref.hardResetNow();
        }
        disksInSync = sameDevice || copyTargetDisk();
    }

    private boolean copyTargetDisk() {
        var th = target.host();
        if (th.isEmpty() || !(oracle instanceof ReferenceTarget rt)) {
            return false;
        }
        try {
            HostControl h = th.get();
            var backend = rt.device().backend();
            long size = Math.min(h.diskBytes(), backend.sizeBytes());
            byte[] zero = new byte[1 << 20];
            for (long at = 0; at < size; at += zero.length) {
                int n = (int) Math.min(zero.length, size - at);
                byte[] chunk = h.readDisk(at, n);
                if (Arrays.mismatch(chunk, 0, n, zero, 0, n) >= 0) {
                    backend.write(at, chunk, 0, n);
                }
            }
            return true;
        } catch (RuntimeException e) {
            return false; // no readable image: data comparisons stay off
        }
    }

    private static boolean writesDisk(Program p) {
        for (Op op : p.ops()) {
            if (op instanceof Op.Header h && h.type() != Blk.T_IN && h.type() != Blk.T_GET_ID
                    && h.type() != Blk.T_GET_LIFETIME && h.type() != Blk.T_FLUSH) {
                return true;
            }
        }
        return false;
    }

    private Complaint checkDisks(Observation r) {
        var th = target.host();
        var rh = oracle.host();
        if (th.isEmpty() || rh.isEmpty()) {
            return null;
        }
        HostControl a = th.get();
        HostControl b = rh.get();
        int limit = Differential.strictLimit(r);
        for (int i = 0; i < r.used; i++) {
            if (r.uType[i] != Blk.T_OUT || r.uStatus[i] != Blk.S_OK || r.uDataOut[i] <= 0 || r.uOp[i] >= limit
                    || r.uHeaderOverlap[i]) {
                // After a driver-rule violation only invariants are judged; a request whose header a chain offered
                // with it writes depends on the completion order.
                continue;
            }
            long first = Math.max(0, r.uSector[i] - 1);
            long end = Math.min(r.uSector[i] + r.uDataOut[i] / Blk.SECTOR_SIZE + 1, profile.capacitySectors());
            long bytes = (end - first) * Blk.SECTOR_SIZE;
            if (bytes <= 0 || bytes > (1 << 20) || end * Blk.SECTOR_SIZE > a.diskBytes()) {
                continue;
            }
            byte[] x = a.readDisk(first * Blk.SECTOR_SIZE, (int) bytes);
            byte[] y = b.readDisk(first * Blk.SECTOR_SIZE, (int) bytes);
            int m = Arrays.mismatch(x, y);
            if (m >= 0) {
                long sector = first + m / Blk.SECTOR_SIZE;
                boolean inside = sector >= r.uSector[i] && sector < r.uSector[i] + r.uDataOut[i] / Blk.SECTOR_SIZE;
                return new Complaint(inside ? "disk:written-range" : "disk:outside-written-range", DISK,
                        "after OUT of " + r.uDataOut[i] / Blk.SECTOR_SIZE + " sectors at sector " + r.uSector[i]
                                + " the target's disk differs from the reference's at sector " + sector,
                        List.of("blk-desc.dev.9"));
            }
        }
        return null;
    }

    /**
     * Feeds the behaviour features of the last run (both sides) to {@code sink}: register values, used-idx,
     * interrupt and status outcomes and transitions, completions by request type and status, canary and fault
     * kinds, and the reference model's driver-rule ids and NEEDS_RESET reasons. The campaign keeps programs that
     * produce a feature it has not seen. When the target is its own oracle, its side would repeat the oracle's
     * features under another tag (a feature is new on one side exactly when it is new on the other), so only the
     * oracle's side is fed.
     */
    public void features(Program p, LongConsumer sink) {
        Observation r = ref.observation();
        if (tgt != ref) {
            observationFeatures(p, tgt.observation(), TARGET_SIDE, sink);
        }
        observationFeatures(p, r, ORACLE_SIDE, sink);
        r.forEachRuleId(id -> sink.accept(mix(0x3000, id.hashCode())));
        if (r.needsResetReason != null) {
            sink.accept(mix(0x4000, normalize(r.needsResetReason)));
        }
        if (r.violationOp >= 0 && r.violationOp < p.size()) {
            sink.accept(mix(0x5000, p.get(r.violationOp).name().hashCode()));
        }
    }

    static void observationFeatures(Program p, Observation o, int side, LongConsumer sink) {
        long prevStatus = -1;
        for (int i = 0; i < o.n; i++) {
            long v = o.value[i];
            switch (o.kind[i]) {
                case Observation.READ -> {
                    Op.Read rd = (Op.Read) p.get(o.op[i]);
                    sink.accept(mix(side + 1, ((long) (rd.offset() & 0x1ff) << 8 | rd.width()) * 31 + (v & 0xff)
                            + (v == 0 ? 1000 : 0)));
                }
                case Observation.USED_IDX -> sink.accept(mix(side + 2, Math.min(v, 16)));
                case Observation.ISR -> sink.accept(mix(side + 3, v));
                default -> {
                    sink.accept(mix(side + 4, v));
                    sink.accept(mix(side + 5, prevStatus << 16 | v));
                    prevStatus = v;
                }
            }
        }
        for (int i = 0; i < o.used; i++) {
            long lenClass = o.uLen[i] == o.uWritable[i] ? 0 : o.uLen[i] < o.uExtent[i] ? 1 : 2;
            long type = o.uType[i] >= 0 && o.uType[i] <= 32 ? o.uType[i] : 99;
            sink.accept(mix(side + 6, (type << 16) ^ ((long) statusClass(o.uStatus[i]) << 4) ^ lenClass));
        }
        if (o.canaryBytes > 0) {
            sink.accept(mix(side + 7, 1));
        }
        if (o.fault != null) {
            sink.accept(mix(side + 8, o.fault.kind().ordinal()));
        }
    }

    /**
     * The status byte of a completion as a feature: the three a device writes (OK, IOERR, UNSUPP) each, every other
     * value one class (no status recorded, or a byte the device did not write: whatever the program left there, so
     * its 253 values say nothing about the device and would keep a campaign chasing random bytes).
     */
    static int statusClass(int status) {
        return status >= Blk.S_OK && status <= Blk.S_UNSUPP ? status : 3;
    }

    /**
     * A NEEDS_RESET reason's kind: a hash of the letters of its first six words, every word with a digit in it
     * ({@code 3}, {@code [0x3ffffe70,}, {@code +0x10)}) hashed as one placeholder, so the hex letters of an address or
     * length do not make each address a kind of its own.
     */
    public static long normalize(String reason) {
        long h = 17;
        long word = 0;
        boolean digit = false;
        int words = 0;
        for (int i = 0; i <= reason.length() && words < 6; i++) {
            char c = i < reason.length() ? reason.charAt(i) : ' ';
            if (c == ' ') {
                h = (h * 31 + (digit ? '#' : word)) * 31 + c;
                words++;
                word = 0;
                digit = false;
            } else if (Character.isDigit(c)) {
                digit = true;
            } else if (Character.isLetter(c)) {
                word = word * 31 + c;
            }
        }
        return h;
    }

    static long mix(long tag, long v) {
        long x = tag * 0x9E3779B97F4A7C15L ^ v;
        x ^= x >>> 33;
        x *= 0xff51afd7ed558ccdL;
        x ^= x >>> 33;
        x *= 0xc4ceb9fe1a85ec53L;
        return x ^ (x >>> 33);
    }

    @Override
    public void close() {
        try {
            if (oracle != target) {
                oracle.close();
            }
        } finally {
            target.close();
        }
    }
}
