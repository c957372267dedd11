package org.virtiotck.fuzz.exec;

import static org.virtiotck.fuzz.exec.Complaint.Kind.DIFF;
import static org.virtiotck.spec.MmioRegister.QUEUE_PFN;
import static org.virtiotck.spec.MmioRegister.QUEUE_READY;
import static org.virtiotck.spec.MmioRegister.QUEUE_SEL;
import static org.virtiotck.spec.MmioRegister.STATUS;

import java.util.List;
import org.virtiotck.fuzz.program.Op;
import org.virtiotck.fuzz.program.Program;
import org.virtiotck.spec.Blk;

/**
 * What {@link Differential} reads in a program to name a difference after a notify by its cause, when the cause
 * is a known way for a device to go wrong (or to choose) rather than a lost request: a queue whose QueueReady is
 * 0 (mmio.dev.8), a queue stopped with QueuePFN 0 on the legacy interface (mmio-desc.dev.7), a legacy device that
 * gives up on a request without a word (blk-desc.dev.10). A named complaint can be waived for one device without
 * hiding every other difference of the same register.
 */
final class Attribution {
    private Attribution() {
    }

    /**
     * Whether the queue notified at op {@code opi} had QueueReady 0 then (modern): its last QueueReady write, made by
     * a {@code queueReady} op or by a plain register write while QueueSel named it, says so, and no device reset
     * (Status 0) came after it.
     */
    static boolean notReady(Program p, int opi) {
        Op at = p.get(opi);
        int queue = at instanceof Op.Notify n ? n.queue() : -1;
        if (queue < 0) {
            return false;
        }
        boolean notReady = false;
        int sel = 0;
        for (int k = 0; k < opi; k++) {
            switch (p.get(k)) {
                case Op.QueueReady r -> {
                    sel = r.queue();
                    notReady = r.queue() == queue ? r.value() == 0 : notReady;
                }
                case Op.QueueSetup q -> {
                    sel = q.queue();
                    notReady &= !(q.legacy() && q.queue() == queue); // a legacy queue has no QueueReady
                }
                case Op.QueueReset r -> sel = r.queue();
                case Op.SetStatus st when st.value() == 0 -> {
                    notReady = false;
                    sel = 0;
                }
                case Op.Write w when w.width() == 4 && w.offset() == QUEUE_SEL -> sel = (int) w.value();
                case Op.Write w when w.width() == 4 && w.offset() == QUEUE_READY -> {
                    if (sel == queue) {
                        notReady = w.value() == 0;
                    }
                }
                case Op.Write w when w.width() == 4 && w.offset() == STATUS && w.value() == 0 -> {
                    notReady = false;
                    sel = 0;
                }
                default -> {
                }
            }
        }
        return notReady;
    }

    /**
     * Legacy: whether the target reads as reset after the notify whose used idx is observation {@code iUsed}
     * (Status and InterruptStatus 0) and the program wrote 0 to QueuePFN since its last write of 0 to Status: the
     * driver stopped using a queue, and a device that resets itself for that (QEMU 7.2 does: its legacy deviation
     * 11) breaks mmio-desc.dev.7.
     */
    static boolean resetByQueuePfnZero(Program p, int opi, Observation tgt, int iUsed) {
        return iUsed >= 0 && iUsed + 2 < tgt.n && tgt.kind[iUsed] == Observation.USED_IDX
                && tgt.value[iUsed + 1] == 0 && tgt.value[iUsed + 2] == 0 && queuePfnZeroed(p, opi);
    }

    /**
     * Whether the program wrote 0 to QueuePFN (a legacy driver stopping a queue) before op {@code opi} and after its
     * last write of 0 to Status.
     */
    static boolean queuePfnZeroed(Program p, int opi) {
        boolean zeroed = false;
        for (int k = 0; k < opi; k++) {
            switch (p.get(k)) {
                case Op.SetStatus st when st.value() == 0 -> zeroed = false;
                case Op.Write w when w.width() == 4 && w.offset() == STATUS && w.value() == 0 -> zeroed = false;
                case Op.Write w when w.width() == 4 && w.offset() == QUEUE_PFN && w.value() == 0 -> zeroed = true;
                default -> {
                }
            }
        }
        return zeroed;
    }

    static Complaint queuePfnZeroComplaint(int opi, String what) {
        return new Complaint("diff:notify:reset-by-queue-pfn-zero", DIFF, "after notify (op " + opi + ") " + what
                + "; the target reads as reset since the program wrote 0 to QueuePFN (stopping a queue)",
                List.of("mmio-desc.dev.7"));
    }

    /** A Status or InterruptStatus read of 0 where the reference reads more, after QueuePFN 0 (see above). */
    static Complaint queuePfnZeroReadComplaint(int opi, String reg, long rv) {
        return new Complaint("diff:read:reset-by-queue-pfn-zero", DIFF, reg + " reads 0, reference 0x"
                + Long.toHexString(rv) + " (op " + opi + "); the target reads as reset since the program wrote 0 to"
                + " QueuePFN (stopping a queue)", List.of("mmio-desc.dev.7"));
    }

    /**
     * Legacy: the target used fewer chains than the reference and raised no interrupt, where the reference failed
     * a request (IOERR or UNSUPP) by then. A modern device may give up on such a request and say so with
     * DEVICE_NEEDS_RESET ({@link #gaveUpOnAFailedRequest}); the legacy interface has no such bit, so a device that
     * gives up there (QEMU 7.2's virtio_error) just stops, and the status it owed the request is missing.
     */
    static boolean silentGiveUp(Program p, Observation ref, Observation tgt, int i, long rv, long tv) {
        if (i + 1 >= tgt.n || tgt.value[i + 1] != 0 || tv >= rv
                || p.ops().stream().noneMatch(o -> o instanceof Op.QueueSetup q && q.legacy())) {
            return false;
        }
        for (int u = 0; u < ref.used; u++) {
            if (ref.uOp[u] <= ref.op[i] && (ref.uStatus[u] == Blk.S_IOERR || ref.uStatus[u] == Blk.S_UNSUPP)) {
                return true;
            }
        }
        return false;
    }

    static Complaint silentGiveUpComplaint(int opi, long rv, long tv) {
        return new Complaint("diff:notify:gave-up-silently", DIFF, "after notify (op " + opi + ") used idx is " + tv
                + ", reference " + rv + " and InterruptStatus 0: the reference failed a request by then (IOERR or"
                + " UNSUPP), and the target (legacy: no DEVICE_NEEDS_RESET to set) served nothing more",
                List.of("blk-desc.dev.10"));
    }

    static Complaint notReadyComplaint(int opi, String what) {
        return new Complaint("diff:notify:served-while-not-ready", DIFF, "after notify (op " + opi
                + ") of a queue whose QueueReady is 0, " + what, List.of("mmio.dev.8"));
    }
}
