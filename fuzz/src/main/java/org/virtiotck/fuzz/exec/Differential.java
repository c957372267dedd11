package org.virtiotck.fuzz.exec;

import static org.virtiotck.fuzz.exec.Complaint.Kind.CANARY;
import static org.virtiotck.fuzz.exec.Complaint.Kind.DIFF;
import static org.virtiotck.spec.MmioRegister.*;

import java.util.List;
import org.virtiotck.fuzz.program.Op;
import org.virtiotck.fuzz.program.Program;
import org.virtiotck.spec.Blk;
import org.virtiotck.spec.DeviceStatus;
import org.virtiotck.spec.FeatureBit;
import org.virtiotck.spec.MmioRegister;

/**
 * The differential oracle: compares the target's {@link Observation} of a program with the reference device's,
 * within the tolerance the spec leaves. This is the fuzzer's acceptable-response model; it is written so that the
 * hostile-driver suites' model can replace {@link #compare} later (same inputs: the program, both observations).
 *
 * <h2>Always a finding (invariants)</h2>
 * <ul>
 *   <li>The target faults ({@code TargetFault}: crash, hang, protocol nonsense) on a program the reference
 *       survived.</li>
 *   <li>Guest-memory canary bytes changed outside every device-writable region (split.dev.3), unless the
 *       reference changed the same bytes too (then the harness's model of the chain is at fault).</li>
 *   <li>MagicValue, Version and DeviceID differ (they are fixed whatever the driver did).</li>
 * </ul>
 *
 * <h2>Compared only while the driver has broken no rule</h2>
 * Up to the first op after which the strict reference model recorded a driver-rule violation, a device's
 * behaviour is defined, so:
 * <ul>
 *   <li>register reads of defined registers with 32-bit aligned accesses agree: DeviceFeatures (bits the
 *       reference can mirror), QueueNumMax, QueueReady, QueueReset, Status, config-space capacity;</li>
 *   <li>after each notify: the used idx (same number of completions), Status (so also DEVICE_NEEDS_RESET, which
 *       is reported before the used idx it implies, unless a chain with a zero-length descriptor or with an
 *       indirect descriptor after its head, split.dev.1 and split.dev.8, explains it) and the InterruptStatus
 *       config-change bit agree; the used-buffer bit may be set by the target where the reference has it clear
 *       (notification suppression is a SHOULD), but must not be missing where the reference sets it
 *       (split.dev.11, mmio.dev.3);</li>
 *   <li>completions (matched by queue and id, in any order: completion order is free without IN_ORDER): same
 *       status byte; for DISCARD, WRITE_ZEROES and SECURE_ERASE IOERR and UNSUPP count as the same; a
 *       successful IN returns the same data (when the disks are known to be in sync); no completion of an id
 *       the reference did not complete; no used len above the chain's writable bytes (split.dev.16).</li>
 * </ul>
 *
 * <h2>Left open (never a finding)</h2>
 * VendorID and ConfigGeneration values; undefined offsets, odd widths and unaligned accesses (mmio.drv.4); used
 * len other than the reference's when within the writable size (split.dev.17: devices may report fewer bytes than
 * they wrote, the reference reports all); extra used-buffer interrupts; everything after a driver-rule violation
 * except the invariants above (e.g. whether the device sets DEVICE_NEEDS_RESET or just ignores a bad ring).
 */
public final class Differential {
    private final long featureMask0;
    private final long featureMask1;

    /**
     * @param comparableFeatures device feature bits the reference oracle offers exactly as the target does; other
     *                           bits of DeviceFeatures are not compared
     */
    public Differential(long comparableFeatures) {
        this.featureMask0 = comparableFeatures & 0xffffffffL;
        this.featureMask1 = comparableFeatures >>> 32;
    }

    /**
     * Whether the target completes asynchronously. Then, once the program let a device-writable buffer overlap a
     * descriptor table or ring (a driver-rule violation), the device may rewrite the chains it reads before or
     * after it reads them, and with its own data (disk contents the oracle's disk need not share): which bytes it
     * may legitimately write is not known, so the canary oracle cannot accuse it for that run. A synchronous
     * target rewrites them exactly as the reference does, whose own changed bytes excuse the target's.
     */
    private boolean asynchronous;

    public Differential asynchronous(boolean on) {
        this.asynchronous = on;
        return this;
    }

    public Complaint compare(Program p, Observation ref, Observation tgt, boolean disksInSync) {
        if (ref.fault != null) {
            return null; // the oracle itself faulted (harness limit, e.g. RAM): nothing to compare
        }
        if (tgt.fault != null) {
            String at = tgt.faultOp >= 0 && tgt.faultOp < p.size() ? p.get(tgt.faultOp).name()
                    : tgt.faultOp < 0 ? "reset" : "readback";
            String kind = tgt.fault.kind().name();
            return new Complaint("fault:" + kind + ":" + at, Complaint.Kind.of(tgt.fault.kind()),
                    "target " + kind.toLowerCase(java.util.Locale.ROOT) + " at op " + tgt.faultOp + " (" + at
                            + "): " + tgt.fault.getMessage(), faultIds(ref, tgt.faultOp));
        }
        if (tgt.canaryBytes > 0 && !(ref.canaryBytes > 0 && ref.canaryFirst == tgt.canaryFirst)
                && !(asynchronous && ref.ringsWritable)) {
            return new Complaint("canary:outside-writable", CANARY,
                    tgt.canaryBytes + " guest-memory bytes outside device-writable buffers changed, first at RAM+0x"
                            + Long.toHexString(tgt.canaryFirst), List.of("split.dev.3"));
        }
        if (tgt.canaryAsDataBytes > 0 && ref.canaryAsDataBytes == 0) {
            return new Complaint("canary:indirect-after-head-written-as-data", CANARY, tgt.canaryAsDataBytes
                    + " bytes written inside an indirect table that follows a chain's head: the device took the"
                    + " indirect descriptor for a data buffer", List.of("split.dev.8"));
        }
        if (tgt.canaryEarlyUsedBytes > 0 && ref.canaryEarlyUsedBytes == 0) {
            return new Complaint("canary:used-ring-before-used-event", CANARY, tgt.canaryEarlyUsedBytes
                    + " bytes written where the used ring starts if the available ring is taken to end before"
                    + " used_event", List.of("split-legacy.dev.1", "mmio-legacy.dev.3"));
        }
        int limit = Math.min(strictLimit(ref), gaveUpOnAFailedRequest(ref, tgt));
        int n = Math.min(ref.n, tgt.n);
        for (int i = 0; i < n; i++) {
            int opi = ref.op[i];
            if (tgt.op[i] != opi || tgt.kind[i] != ref.kind[i]) {
                break; // cannot happen without a fault; be safe
            }
            long rv = ref.value[i];
            long tv = tgt.value[i];
            if (rv == tv || rv == Observation.NONE || tv == Observation.NONE) {
                continue;
            }
            Op op = p.get(opi);
            boolean strict = opi < limit;
            switch (ref.kind[i]) {
                case Observation.READ -> {
                    Op.Read r = (Op.Read) op;
                    int reg = r.offset() & 0x1ff;
                    if (strict && tv == 0 && r.width() == 4 && (reg == STATUS || reg == INTERRUPT_STATUS)
                            && Attribution.queuePfnZeroed(p, opi)) {
                        return Attribution.queuePfnZeroReadComplaint(opi, MmioRegister.name(reg), rv);
                    }
                    Complaint v = compareRead(r, rv, tv, strict, opi, p, i, ref);
                    if (v != null) {
                        return v;
                    }
                }
                case Observation.USED_IDX -> {
                    if (strict && servedWithZeroLength(ref, opi)) {
                        return new Complaint("diff:notify:zero-length-element", DIFF, "after notify (op " + opi
                                + ") used idx is " + tv + ", reference " + rv + "; a chain offered had a descriptor"
                                + " of length 0" + (needsReset(ref, tgt, i) ? " and the target set DEVICE_NEEDS_RESET"
                                : ""), List.of("split.dev.1"));
                    }
                    if (strict && indirectAfterHead(ref, opi)) {
                        // Before DEVICE_NEEDS_RESET: a device that maps the indirect descriptor as data fails the
                        // request and may give up on it (QEMU 7.2 does); the chain is the cause, split.dev.8.
                        return indirectAfterHeadComplaint(opi, "used idx is " + tv + ", reference " + rv
                                + (needsReset(ref, tgt, i) ? " and the target set DEVICE_NEEDS_RESET" : ""));
                    }
                    if (strict && Attribution.resetByQueuePfnZero(p, opi, tgt, i)) {
                        return Attribution.queuePfnZeroComplaint(opi, "used idx is " + tv + ", reference " + rv);
                    }
                    if (strict && Attribution.silentGiveUp(p, ref, tgt, i, rv, tv)) {
                        return Attribution.silentGiveUpComplaint(opi, rv, tv);
                    }
                    if (strict && Attribution.notReady(p, opi)) {
                        // Before DEVICE_NEEDS_RESET: a device that gives up on a chain of a queue it should not
                        // have looked at (QEMU 7.2 does) went wrong by serving it, mmio.dev.8.
                        return Attribution.notReadyComplaint(opi, "used idx is " + tv + ", reference " + rv
                                + (needsReset(ref, tgt, i) ? " and the target set DEVICE_NEEDS_RESET" : ""));
                    }
                    if (strict && needsReset(ref, tgt, i)) {
                        return needsResetComplaint(opi, ref.value[i + 2], tgt.value[i + 2]);
                    }
                    if (strict) {
                        return new Complaint("diff:notify:used-idx", DIFF, "after notify (op " + opi
                                + ") used idx is " + tv + ", reference " + rv, List.of("split-desc.dev.1"));
                    }
                }
                case Observation.ISR -> {
                    if (strict && indirectAfterHead(ref, opi) && needsReset(ref, tgt, i - 1)) {
                        // The config-change bit of a device that gave up on such a chain (see USED_IDX).
                        return indirectAfterHeadComplaint(opi, "InterruptStatus is 0x" + Long.toHexString(tv)
                                + " and the target set DEVICE_NEEDS_RESET");
                    }
                    if (strict && Attribution.resetByQueuePfnZero(p, opi, tgt, i - 1)) {
                        return Attribution.queuePfnZeroComplaint(opi, "InterruptStatus is 0x"
                                + Long.toHexString(tv) + ", reference 0x" + Long.toHexString(rv));
                    }
                    Complaint v = compareIsr("notify", opi, rv, tv, strict);
                    if (v != null) {
                        return v;
                    }
                }
                case Observation.STATUS -> {
                    if (strict) {
                        boolean nr = (tv & DeviceStatus.DEVICE_NEEDS_RESET) != 0
                                && (rv & DeviceStatus.DEVICE_NEEDS_RESET) == 0;
                        if (nr && indirectAfterHead(ref, opi)) {
                            return indirectAfterHeadComplaint(opi, "Status is " + DeviceStatus.describe((int) tv));
                        }
                        if (Attribution.resetByQueuePfnZero(p, opi, tgt, i - 2)) {
                            return Attribution.queuePfnZeroComplaint(opi, "Status is "
                                    + DeviceStatus.describe((int) tv) + ", reference "
                                    + DeviceStatus.describe((int) rv));
                        }
                        if (nr && Attribution.notReady(p, opi)) {
                            return Attribution.notReadyComplaint(opi, "Status is "
                                    + DeviceStatus.describe((int) tv) + ", reference "
                                    + DeviceStatus.describe((int) rv));
                        }
                        return nr ? needsResetComplaint(opi, rv, tv) : new Complaint("diff:notify:status", DIFF,
                                "after notify (op " + opi + ") Status is " + DeviceStatus.describe((int) tv)
                                        + ", reference " + DeviceStatus.describe((int) rv), statusIds(rv, tv));
                    }
                }
                default -> {
                }
            }
        }
        return limit != Integer.MAX_VALUE ? null : compareCompletions(ref, tgt, disksInSync);
    }

    /**
     * The first op from which only invariants are judged: a driver-rule violation the reference recorded, a write
     * that left the queue layout ambiguous (org.virtiotck.queue: a device may ignore or apply it), or, against an
     * asynchronous target, an op whose outcome depends on when the device took an exposed chain ({@link Exposure}).
     */
    static int strictLimit(Observation ref) {
        int limit = ref.violationOp < 0 ? Integer.MAX_VALUE : ref.violationOp;
        if (ref.needsResetOp >= 0) {
            // The reference gave up (DEVICE_NEEDS_RESET): a device may stop before or after the requests it
            // had in hand, or keep serving (status.dev.3 is a SHOULD); what follows is the device's choice.
            limit = Math.min(limit, ref.needsResetOp);
        }
        if (ref.timingOp >= 0) {
            limit = Math.min(limit, ref.timingOp); // what follows depends on when the device took a chain
        }
        return ref.layoutOp < 0 ? limit : Math.min(limit, ref.layoutOp);
    }

    /**
     * The first notify after which the target reads DEVICE_NEEDS_RESET although the reference does not, when the
     * reference failed a request (IOERR or UNSUPP) by then: a device may treat a request it cannot serve as a
     * device error and stop (QEMU's virtio_error does), instead of completing it with an error status. What
     * follows is then the device's choice. {@link Integer#MAX_VALUE} when that did not happen.
     */
    static int gaveUpOnAFailedRequest(Observation ref, Observation tgt) {
        int n = Math.min(ref.n, tgt.n);
        for (int i = 0; i < n; i++) {
            if (tgt.kind[i] != Observation.STATUS || ref.kind[i] != Observation.STATUS
                    || (tgt.value[i] & DeviceStatus.DEVICE_NEEDS_RESET) == 0
                    || (ref.value[i] & DeviceStatus.DEVICE_NEEDS_RESET) != 0) {
                continue;
            }
            for (int u = 0; u < ref.used; u++) {
                if (ref.uOp[u] <= ref.op[i] && (ref.uStatus[u] == Blk.S_IOERR || ref.uStatus[u] == Blk.S_UNSUPP)) {
                    return ref.op[i];
                }
            }
            return Integer.MAX_VALUE;
        }
        return Integer.MAX_VALUE;
    }

    private Complaint compareRead(Op.Read r, long rv, long tv, boolean strict, int opi, Program p, int i,
                                Observation ref) {
        int off = r.offset() & 0x1ff;
        int w = r.width();
        String reg = MmioRegister.name(off);
        if (w == 4 && (off == MAGIC_VALUE || off == VERSION || off == DEVICE_ID)) {
            String id = off == MAGIC_VALUE ? "mmio.dev.1" : off == DEVICE_ID ? "blk-desc.dev.1"
                    : rv == VERSION_LEGACY ? "mmio-legacy.dev.1" : "mmio.dev.2";
            return new Complaint("diff:read:" + reg, DIFF, reg + " reads 0x" + Long.toHexString(tv)
                    + ", reference 0x" + Long.toHexString(rv) + " (op " + opi + ")", List.of(id));
        }
        if (!strict) {
            return null;
        }
        boolean compare;
        long mask = 0xffffffffL;
        if (off == CONFIG && (w == 8 || w == 4) || off == CONFIG + 4 && w == 4) {
            compare = true; // capacity
        } else if (w != 4 || (off & 3) != 0) {
            compare = false;
        } else {
            switch (off) {
                case DEVICE_FEATURES -> {
                    compare = true;
                    int sel = lastFeatureSel(p, opi);
                    mask = sel == 0 ? featureMask0 : sel == 1 ? featureMask1 : 0xffffffffL;
                }
                case QUEUE_NUM_MAX, QUEUE_READY, QUEUE_RESET, STATUS -> compare = true;
                case INTERRUPT_STATUS -> {
                    return compareIsr("read", opi, rv, tv, true);
                }
                default -> compare = false;
            }
        }
        if (compare && ((rv ^ tv) & mask) != 0) {
            return new Complaint("diff:read:" + reg, DIFF, reg + " (width " + w + ") reads 0x"
                    + Long.toHexString(tv) + ", reference 0x" + Long.toHexString(rv) + " (op " + opi + ")",
                    off == STATUS ? statusIds(rv, tv) : List.of(readId(off)));
        }
        return null;
    }

    /**
     * Whether the observation at {@code i} (a notify's used idx, followed by its InterruptStatus and Status) is of
     * a notify after which the target reads DEVICE_NEEDS_RESET and the reference does not: the device gave up
     * where the reference served, which is the complaint, before any difference in the used idx it implies.
     */
    private static boolean needsReset(Observation ref, Observation tgt, int i) {
        int s = i + 2;
        return s < ref.n && s < tgt.n && ref.kind[s] == Observation.STATUS && tgt.kind[s] == Observation.STATUS
                && ref.op[s] == ref.op[i] && tgt.op[s] == ref.op[i]
                && (tgt.value[s] & DeviceStatus.DEVICE_NEEDS_RESET) != 0
                && (ref.value[s] & DeviceStatus.DEVICE_NEEDS_RESET) == 0;
    }

    private static Complaint indirectAfterHeadComplaint(int opi, String what) {
        return new Complaint("diff:notify:indirect-after-head", DIFF, "after notify (op " + opi + ") " + what
                + "; a chain offered had an indirect descriptor after its head", List.of("split.dev.8"));
    }

    private static Complaint needsResetComplaint(int opi, long rv, long tv) {
        return new Complaint("diff:notify:needs-reset", DIFF, "after notify (op " + opi + ") Status is "
                + DeviceStatus.describe((int) tv) + ", reference " + DeviceStatus.describe((int) rv),
                List.of("status.dev.3"));
    }

    /**
     * Whether the reference completed, at notify {@code opi}, a chain with a descriptor of length 0: the spec puts
     * no lower bound on a descriptor's length, and a request is handled the same however it is cut into
     * descriptors (split.dev.1).
     */
    private static boolean servedWithZeroLength(Observation ref, int opi) {
        for (int u = 0; u < ref.used; u++) {
            if (ref.uOp[u] == opi && ref.uZeroLen[u]) {
                return true;
            }
        }
        return false;
    }

    /** Whether the reference completed, at notify {@code opi}, a chain with an indirect descriptor after its head. */
    private static boolean indirectAfterHead(Observation ref, int opi) {
        for (int u = 0; u < ref.used; u++) {
            if (ref.uOp[u] == opi && ref.uNonHeadIndirect[u]) {
                return true;
            }
        }
        return false;
    }

    /** The requirement a register read that differs from the reference's breaks. */
    private static String readId(int off) {
        return switch (off) {
            case DEVICE_FEATURES -> "mmio-desc.dev.2";
            case QUEUE_NUM_MAX -> "mmio-desc.dev.4";
            case QUEUE_READY -> "mmio-desc.dev.5";
            case QUEUE_RESET -> "mmio.dev.13";
            default -> "blk-desc.dev.3"; // capacity, the only config field compared
        };
    }

    /** Status differs: FEATURES_OK kept or refused otherwise than the reference (features.dev.3), or the rest. */
    private static List<String> statusIds(long rv, long tv) {
        return ((rv ^ tv) & DeviceStatus.FEATURES_OK) != 0 ? List.of("features.dev.3") : List.of("mmio-desc.dev.7");
    }

    /**
     * A crash or hang: after a driver-rule violation the device should have flagged DEVICE_NEEDS_RESET instead
     * (status.dev.3); during a reset, reset.dev.1; otherwise it failed a well-formed request (blk-desc.dev.7).
     */
    private static List<String> faultIds(Observation ref, int faultOp) {
        if (faultOp < 0) {
            return List.of("reset.dev.1");
        }
        return strictLimit(ref) <= faultOp ? List.of("status.dev.3") : List.of("blk-desc.dev.7");
    }

    /** The DeviceFeaturesSel value in force at op {@code opi}, as the program wrote it (0 after a reset). */
    private static int lastFeatureSel(Program p, int opi) {
        for (int k = opi - 1; k >= 0; k--) {
            Op o = p.get(k);
            if (o instanceof Op.Write w && (w.offset() & 0x1ff) == DEVICE_FEATURES_SEL && w.width() == 4) {
                return (int) w.value();
            }
            if (o instanceof Op.SetStatus s && s.value() == 0) {
                return 0;
            }
        }
        return 0;
    }

    private static Complaint compareIsr(String where, int opi, long rv, long tv, boolean strict) {
        if ((rv & INT_USED_BUFFER) != 0 && (tv & INT_USED_BUFFER) == 0) {
            if (strict) {
                return new Complaint("diff:" + where + ":used-interrupt-missing", DIFF,
                        "InterruptStatus 0x" + Long.toHexString(tv) + " lacks the used-buffer bit the reference "
                                + "sets (op " + opi + ")", List.of("split.dev.11", "mmio.dev.3"));
            }
        }
        if (strict && ((rv ^ tv) & INT_CONFIG_CHANGE) != 0) {
            return new Complaint("diff:" + where + ":config-interrupt", DIFF, "InterruptStatus 0x"
                    + Long.toHexString(tv) + ", reference 0x" + Long.toHexString(rv) + " (config-change bit, op "
                    + opi + ")", List.of("mmio.dev.3"));
        }
        if (strict && (tv & ~3L) != 0) {
            return new Complaint("diff:" + where + ":undefined-interrupt-bits", DIFF, "InterruptStatus 0x"
                    + Long.toHexString(tv) + " has undefined bits (op " + opi + ")", List.of("mmio.dev.4"));
        }
        return null;
    }

    private Complaint compareCompletions(Observation ref, Observation tgt, boolean disksInSync) {
        for (int t = 0; t < tgt.used; t++) {
            if (tgt.uWritable[t] > 0 && tgt.uLen[t] > tgt.uWritable[t] && tgt.uNonHeadIndirect[t]) {
                return new Complaint("diff:indirect-after-head-served-as-data", DIFF, "used len " + tgt.uLen[t]
                        + " for id " + tgt.uHead[t] + " exceeds the chain's " + tgt.uWritable[t] + " writable bytes:"
                        + " the indirect descriptor after the chain's head was taken for a data buffer",
                        List.of("split.dev.8"));
            }
            if (tgt.uWritable[t] > 0 && tgt.uLen[t] > tgt.uWritable[t]) {
                return new Complaint("diff:used-len-exceeds-writable", DIFF, "used len " + tgt.uLen[t] + " for id "
                        + tgt.uHead[t] + " exceeds the chain's " + tgt.uWritable[t] + " writable bytes",
                        List.of("split.dev.16"));
            }
        }
        boolean[] matched = new boolean[tgt.used];
        for (int r = 0; r < ref.used; r++) {
            int t = find(tgt, matched, ref.uQueue[r], ref.uHead[r]);
            if (t < 0) {
                return new Complaint("diff:completion-missing", DIFF, "the reference completed id " + ref.uHead[r]
                        + " (" + typeName(ref.uType[r]) + ") on queue " + ref.uQueue[r] + ", the target did not",
                        List.of("split-desc.dev.1"));
            }
            matched[t] = true;
            if (ref.uShared[r] || tgt.uShared[t] || ref.uHeaderOverlap[r] || tgt.uHeaderOverlap[t]) {
                // The status byte is another chain's too, or the request's input (header, or the segments of a
                // DISCARD, WRITE_ZEROES or SECURE_ERASE) lies in another chain's writable bytes: the final status,
                // or the request read, depends on completion order (free without IN_ORDER).
                continue;
            }
            if (!disksInSync && (ref.uHeaderWritten[r] || tgt.uHeaderWritten[t])) {
                // The input holds what the device wrote there earlier (IN data), from disks not known to agree,
                // or bytes outside the arena, which runs neither write nor restore.
                continue;
            }
            int rs = ref.uStatus[r];
            int ts = tgt.uStatus[t];
            if (rs != ts && ref.uNonHeadIndirect[r]) {
                // A device that takes the indirect descriptor after the head for a data buffer puts the status
                // byte at that buffer's end, not where the table says (QEMU 7.2, finding fe7f2b74c): split.dev.8.
                return new Complaint("diff:indirect-after-head-served-as-data", DIFF, typeName(ref.uType[r])
                        + " request (id " + ref.uHead[r] + ") has status " + ts + " where its indirect table puts"
                        + " the status byte, reference " + rs + ": the indirect descriptor after the chain's head"
                        + " was taken for a data buffer", List.of("split.dev.8"));
            }
            if (rs != ts && !(interchangeable(ref.uType[r]) && errorish(rs) && errorish(ts))
                    && !(rs == Blk.S_UNSUPP && notNegotiated(ref.uType[r], ref.negotiated))) {
                return new Complaint("diff:status-byte:" + typeName(ref.uType[r]), DIFF, typeName(ref.uType[r])
                        + " request (id " + ref.uHead[r] + ", sector " + ref.uSector[r] + ") completed with status "
                        + ts + ", reference " + rs, List.of("blk-desc.dev.10"));
            }
            if (disksInSync && rs == Blk.S_OK && ref.uType[r] == Blk.T_IN
                    && ref.uDataHash[r] != tgt.uDataHash[t]) {
                return new Complaint("diff:in-data", DIFF, "IN of sector " + ref.uSector[r] + " (id " + ref.uHead[r]
                        + ") returned different data than the reference", List.of("blk-desc.dev.9"));
            }
        }
        for (int t = 0; t < tgt.used; t++) {
            if (!matched[t]) {
                return new Complaint("diff:completion-extra", DIFF, "the target completed id " + tgt.uHead[t]
                        + " on queue " + tgt.uQueue[t] + ", which the reference did not complete",
                        List.of("split-desc.dev.1"));
            }
        }
        return null;
    }

    private static int find(Observation o, boolean[] matched, int queue, int head) {
        for (int i = 0; i < o.used; i++) {
            if (!matched[i] && o.uQueue[i] == queue && o.uHead[i] == head) {
                return i;
            }
        }
        return -1;
    }

    /**
     * A request type whose feature the driver did not negotiate: the reference refuses it (UNSUPP), but a device
     * that implements it may serve it as well; the spec leaves that to the device.
     */
    private static boolean notNegotiated(int type, long negotiated) {
        int bit = switch (type) {
            case Blk.T_DISCARD -> FeatureBit.BLK_DISCARD;
            case Blk.T_WRITE_ZEROES -> FeatureBit.BLK_WRITE_ZEROES;
            case Blk.T_SECURE_ERASE -> FeatureBit.BLK_SECURE_ERASE;
            case Blk.T_GET_LIFETIME -> FeatureBit.BLK_LIFETIME;
            default -> -1;
        };
        return bit >= 0 && !FeatureBit.has(negotiated, bit);
    }

    private static boolean interchangeable(int type) {
        return type == Blk.T_DISCARD || type == Blk.T_WRITE_ZEROES || type == Blk.T_SECURE_ERASE;
    }

    private static boolean errorish(int status) {
        return status == Blk.S_IOERR || status == Blk.S_UNSUPP;
    }

    public static String typeName(int type) {
        return switch (type) {
            case Blk.T_IN -> "IN";
            case Blk.T_OUT -> "OUT";
            case Blk.T_FLUSH -> "FLUSH";
            case Blk.T_GET_ID -> "GET_ID";
            case Blk.T_GET_LIFETIME -> "GET_LIFETIME";
            case Blk.T_DISCARD -> "DISCARD";
            case Blk.T_WRITE_ZEROES -> "WRITE_ZEROES";
            case Blk.T_SECURE_ERASE -> "SECURE_ERASE";
            case -1 -> "unknown";
            default -> "type" + type;
        };
    }
}
