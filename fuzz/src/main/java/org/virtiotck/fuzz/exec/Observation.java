package org.virtiotck.fuzz.exec;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.virtiotck.device.DriverViolation;
import org.virtiotck.tck.spi.TargetFault;

/**
 * What one run of a program showed, in flat reusable arrays (an executor keeps one and clears it per run, so the
 * hot path allocates nothing).
 *
 * <p>Per-op outputs: a register {@code read} yields one {@link #READ} value; a {@code notify} yields the used idx
 * ({@link #USED_IDX}), InterruptStatus ({@link #ISR}) and Status ({@link #STATUS}) after the device had its chance
 * to process. After the program: one used element per completion (queue, id, len) with what the harness can tell
 * about it (the status byte, a lower bound of bytes written, a hash of the data, the request type), and the number
 * of guest-memory canary bytes that changed outside every device-writable region.
 */
public final class Observation {
    public static final int READ = 1;
    public static final int USED_IDX = 2;
    public static final int ISR = 3;
    public static final int STATUS = 4;

    /** Marker value for an output that could not be taken (op skipped, memory outside RAM). */
    public static final long NONE = Long.MIN_VALUE;

    // per-op outputs
    int n;
    int[] kind = new int[64];
    int[] op = new int[64];
    long[] value = new long[64];

    // used elements, in used-ring order per queue
    int used;
    int[] uQueue = new int[16];
    int[] uHead = new int[16];
    /** Op index of the notify after which each completion was collected. */
    int[] uOp = new int[16];
    /** Whether each completion's chain had an indirect descriptor after its head (split.dev.8). */
    boolean[] uNonHeadIndirect = new boolean[16];
    /** Whether each completion's status byte is shared with another chain offered with it. */
    boolean[] uShared = new boolean[16];
    /** The chain has a descriptor of length 0. */
    boolean[] uZeroLen = new boolean[16];
    /** The chain's readable header lies in bytes another chain offered with it lets the device write: which
     * header the device reads depends on completion order (free without IN_ORDER, split-desc.dev.3). */
    boolean[] uHeaderOverlap = new boolean[16];
    /** The chain's header lies in bytes the device may have written earlier in the run (e.g. IN data): which
     * request the device read depends on its disk. */
    boolean[] uHeaderWritten = new boolean[16];
    long[] uLen = new long[16];
    int[] uStatus = new int[16];
    long[] uWritable = new long[16];
    long[] uExtent = new long[16];
    long[] uDataHash = new long[16];
    int[] uType = new int[16];
    long[] uSector = new long[16];
    long[] uDataOut = new long[16];

    /** Canary bytes changed outside device-writable regions, and the first such RAM offset (or -1). */
    int canaryBytes;
    /** Changed bytes inside WRITE-flagged indirect descriptors after a chain's head (see Executor). */
    int canaryAsDataBytes;
    /** Changed bytes where a legacy device that leaves used_event out of the available ring puts the used ring. */
    int canaryEarlyUsedBytes;
    long canaryFirst = -1;
    /** Canary checking was given up for this run (too many writable regions to track). */
    boolean canaryUnchecked;
    /** A device-writable buffer of an offered chain overlaps a descriptor table or ring: the device may rewrite
     * what it later reads chains from, so which bytes it may write depends on what it wrote and when. */
    boolean ringsWritable;

    /** Index of the first op after which the strict reference model had recorded a driver-rule violation. */
    int violationOp = -1;
    /** First op after which the target's queue layout is ambiguous (a live layout write, see org.virtiotck.queue). */
    int layoutOp = -1;
    /** First op from which the outcome depends on when an asynchronous device took an exposed chain ({@link
     * Exposure}); -1: none. */
    int timingOp = -1;
    /** Reference, asynchronous target: chains were still exposed when the program ended. */
    boolean pendingAtEnd;
    /** Reference, asynchronous target: the exposure rule a write broke ({@link Exposure}), or null. */
    String exposureNote;
    /** Reference only: the first op after which the device was in DEVICE_NEEDS_RESET (-1: never). */
    int needsResetOp = -1;
    /** Reference only: the features in force at the end of the run. */
    long negotiated;
    /** The reference model's driver violations (only for the oracle); {@link #violations()} words them, and with
     * {@link #exposureNote} they are the run's broken driver rules. */
    List<DriverViolation> driverViolations = List.of();
    /** The reference model's NEEDS_RESET reason; only for the oracle. */
    String needsResetReason;

    TargetFault fault;
    int faultOp = -1;

    void clear() {
        n = 0;
        used = 0;
        canaryBytes = 0;
        canaryAsDataBytes = 0;
        canaryEarlyUsedBytes = 0;
        canaryFirst = -1;
        canaryUnchecked = false;
        ringsWritable = false;
        violationOp = -1;
        layoutOp = -1;
        timingOp = -1;
        pendingAtEnd = false;
        exposureNote = null;
        needsResetOp = -1;
        negotiated = 0;
        driverViolations = List.of();
        needsResetReason = null;
        fault = null;
        faultOp = -1;
    }

    void add(int k, int opIndex, long v) {
        if (n == kind.length) {
            kind = java.util.Arrays.copyOf(kind, n * 2);
            op = java.util.Arrays.copyOf(op, n * 2);
            value = java.util.Arrays.copyOf(value, n * 2);
        }
        kind[n] = k;
        op[n] = opIndex;
        value[n] = v;
        n++;
    }

    int addUsed() {
        if (used == uQueue.length) {
            int c = used * 2;
            uQueue = java.util.Arrays.copyOf(uQueue, c);
            uHead = java.util.Arrays.copyOf(uHead, c);
            uOp = java.util.Arrays.copyOf(uOp, c);
            uNonHeadIndirect = java.util.Arrays.copyOf(uNonHeadIndirect, c);
            uShared = java.util.Arrays.copyOf(uShared, c);
            uZeroLen = java.util.Arrays.copyOf(uZeroLen, c);
            uHeaderOverlap = java.util.Arrays.copyOf(uHeaderOverlap, c);
            uHeaderWritten = java.util.Arrays.copyOf(uHeaderWritten, c);
            uLen = java.util.Arrays.copyOf(uLen, c);
            uStatus = java.util.Arrays.copyOf(uStatus, c);
            uWritable = java.util.Arrays.copyOf(uWritable, c);
            uExtent = java.util.Arrays.copyOf(uExtent, c);
            uDataHash = java.util.Arrays.copyOf(uDataHash, c);
            uType = java.util.Arrays.copyOf(uType, c);
            uSector = java.util.Arrays.copyOf(uSector, c);
            uDataOut = java.util.Arrays.copyOf(uDataOut, c);
        }
        return used++;
    }

    public int outputs() {
        return n;
    }

    public int kind(int i) {
        return kind[i];
    }

    public int op(int i) {
        return op[i];
    }

    public long value(int i) {
        return value[i];
    }

    public int usedCount() {
        return used;
    }

    public int usedQueue(int i) {
        return uQueue[i];
    }

    public int usedHead(int i) {
        return uHead[i];
    }

    public long usedLen(int i) {
        return uLen[i];
    }

    /** The status byte of the completed chain, or -1 if the harness cannot locate it. */
    public int usedStatus(int i) {
        return uStatus[i];
    }

    public long usedWritable(int i) {
        return uWritable[i];
    }

    public long usedExtent(int i) {
        return uExtent[i];
    }

    /** A digest of the data completion {@code i} returned; 0 when the device is its own oracle (nothing to compare). */
    public long usedDataHash(int i) {
        return uDataHash[i];
    }

    /** Request type from the header the harness wrote, or -1. */
    public int usedType(int i) {
        return uType[i];
    }

    public long usedSector(int i) {
        return uSector[i];
    }

    public long usedDataOut(int i) {
        return uDataOut[i];
    }

    public int canaryBytes() {
        return canaryBytes;
    }

    public long canaryFirst() {
        return canaryFirst;
    }

    public boolean canaryUnchecked() {
        return canaryUnchecked;
    }

    public int violationOp() {
        return violationOp;
    }

    public int layoutOp() {
        return layoutOp;
    }

    /** The driver rules the reference model saw broken, as "id: detail" (the exposure note last). */
    public List<String> violations() {
        List<String> all = new ArrayList<>(driverViolations.size() + 1);
        for (DriverViolation v : driverViolations) {
            all.add(v.toString());
        }
        if (exposureNote != null) {
            all.add(exposureNote);
        }
        return all;
    }

    /** Feeds the requirement id of each broken driver rule to {@code sink}, in the order of {@link #violations()},
     * without wording the violations. */
    public void forEachRuleId(Consumer<String> sink) {
        for (DriverViolation v : driverViolations) {
            sink.accept(v.requirementId());
        }
        if (exposureNote != null) {
            int colon = exposureNote.indexOf(':');
            sink.accept(colon > 0 ? exposureNote.substring(0, colon) : exposureNote);
        }
    }

    /** Whether the reference model saw a driver rule broken. */
    public boolean brokeDriverRules() {
        return !driverViolations.isEmpty() || exposureNote != null;
    }

    public String needsResetReason() {
        return needsResetReason;
    }

    public TargetFault fault() {
        return fault;
    }

    public int faultOp() {
        return faultOp;
    }

    /** A readable dump, for reports and debugging. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            String k = switch (kind[i]) {
                case READ -> "read";
                case USED_IDX -> "usedIdx";
                case ISR -> "isr";
                default -> "status";
            };
            sb.append("op ").append(op[i]).append(' ').append(k).append('=')
                    .append(value[i] == NONE ? "-" : "0x" + Long.toHexString(value[i])).append('\n');
        }
        for (int i = 0; i < used; i++) {
            sb.append("used q").append(uQueue[i]).append(" id=").append(uHead[i]).append(" len=").append(uLen[i])
                    .append(" status=").append(uStatus[i]).append(" type=").append(uType[i]).append('\n');
        }
        if (canaryBytes > 0) {
            sb.append("canary: ").append(canaryBytes).append(" bytes changed, first at RAM+0x")
                    .append(Long.toHexString(canaryFirst)).append('\n');
        }
        if (fault != null) {
            sb.append("fault at op ").append(faultOp).append(": ").append(fault.getMessage()).append('\n');
        }
        if (layoutOp >= 0) {
            sb.append("queue layout ambiguous from op ").append(layoutOp).append('\n');
        }
        if (timingOp >= 0) {
            sb.append("outcome depends on when the device took an exposed chain from op ").append(timingOp)
                    .append('\n');
        }
        if (violationOp >= 0) {
            sb.append("driver violation from op ").append(violationOp).append(": ").append(violations()).append('\n');
        }
        return sb.toString();
    }
}
