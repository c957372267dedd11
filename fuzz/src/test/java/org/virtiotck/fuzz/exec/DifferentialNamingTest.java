package org.virtiotck.fuzz.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.virtiotck.fuzz.program.Op;
import org.virtiotck.fuzz.program.Program;
import org.virtiotck.spec.Blk;
import org.virtiotck.spec.DeviceStatus;
import org.virtiotck.spec.MmioRegister;

/** Which complaint the differential oracle names when a notify's outcome differs (issue 11 triage). */
class DifferentialNamingTest {
    private static final int RUNNING = DeviceStatus.ACKNOWLEDGE | DeviceStatus.DRIVER | DeviceStatus.FEATURES_OK
            | DeviceStatus.DRIVER_OK;
    private static final Program NOTIFY = new Program(List.of(new Op.SetStatus(RUNNING), new Op.Notify(0)));
    private final Differential oracle = new Differential(0);

    /** After the notify at op 1: used idx, InterruptStatus, Status. */
    private static Observation afterNotify(long usedIdx, long isr, long status) {
        Observation o = new Observation();
        o.add(Observation.USED_IDX, 1, usedIdx);
        o.add(Observation.ISR, 1, isr);
        o.add(Observation.STATUS, 1, status);
        return o;
    }

    private static int complete(Observation o, int head, int type, int status) {
        int u = o.addUsed();
        o.uQueue[u] = 0;
        o.uHead[u] = head;
        o.uOp[u] = 1;
        o.uType[u] = type;
        o.uStatus[u] = status;
        o.uLen[u] = 1;
        o.uWritable[u] = 1;
        return u;
    }

    @Test
    void deviceNeedsResetIsReportedBeforeTheUsedIdxItImplies() {
        Observation ref = afterNotify(1, 1, RUNNING);
        complete(ref, 0, Blk.T_OUT, Blk.S_OK);
        Observation tgt = afterNotify(0, 3, RUNNING | DeviceStatus.DEVICE_NEEDS_RESET);
        Complaint v = oracle.compare(NOTIFY, ref, tgt, true);
        assertEquals("diff:notify:needs-reset", v.signature(), v.summary());
        assertEquals(List.of("status.dev.3"), v.requirementIds());
    }

    @Test
    void aDeviceThatGivesUpOnAQueueWhoseQueueReadyIsZeroIsNamedByTheQueue() {
        Program notReady = new Program(List.of(new Op.SetStatus(RUNNING), new Op.QueueReady(0, 0), new Op.Notify(0)));
        Observation ref = new Observation();
        Observation tgt = new Observation();
        for (Observation o : List.of(ref, tgt)) {
            o.add(Observation.USED_IDX, 2, 0);
            o.add(Observation.ISR, 2, 0);
        }
        ref.add(Observation.STATUS, 2, RUNNING);
        tgt.add(Observation.STATUS, 2, RUNNING | DeviceStatus.DEVICE_NEEDS_RESET);
        Complaint v = oracle.compare(notReady, ref, tgt, true);
        assertEquals("diff:notify:served-while-not-ready", v.signature(), v.summary());
        assertEquals(List.of("mmio.dev.8"), v.requirementIds());

        Observation served = new Observation();
        served.add(Observation.USED_IDX, 2, 1);
        served.add(Observation.ISR, 2, 1);
        served.add(Observation.STATUS, 2, RUNNING | DeviceStatus.DEVICE_NEEDS_RESET);
        Complaint w = oracle.compare(notReady, ref, served, true);
        assertEquals("diff:notify:served-while-not-ready", w.signature(), w.summary());
    }

    /**
     * QEMU campaign finding fbb66e165 of the fourth session of 2026-12-06: QueueReady set to 0 by a plain register
     * write while QueueSel named the queue, then a request made available and notified; QEMU served it (waived
     * deviation, mmio.dev.8), and the complaint was left as a used-idx difference.
     */
    @Test
    void aQueueReadyOfZeroWrittenAsAPlainRegisterWriteNamesTheQueueToo() {
        Observation ref = afterNotify(0, 0, RUNNING);
        Observation served = afterNotify(1, 1, RUNNING);
        Program plain = new Program(List.of(new Op.Write(MmioRegister.QUEUE_READY, 4, 0), new Op.Notify(0)));
        Complaint v = oracle.compare(plain, ref, served, true);
        assertEquals("diff:notify:served-while-not-ready", v.signature(), v.summary());
        Program otherQueue = new Program(List.of(new Op.Write(MmioRegister.QUEUE_SEL, 4, 1),
                new Op.Write(MmioRegister.QUEUE_READY, 4, 0), new Op.Notify(0)));
        assertEquals("diff:notify:used-idx", oracle.compare(otherQueue, ref, served, true).signature());
        Program resetAfter = new Program(List.of(new Op.Write(MmioRegister.QUEUE_READY, 4, 0),
                new Op.Write(MmioRegister.STATUS, 4, 0), new Op.Notify(0)));
        assertEquals("diff:notify:used-idx",
                oracle.compare(resetAfter, at(2, 0, 0, RUNNING), at(2, 1, 1, RUNNING), true).signature());
    }

    /**
     * QEMU 7.2 legacy campaign findings fbf7809f5 and f38680c2c (fourth session of 2026-12-06): the program stops a
     * queue (QueuePFN 0) and QEMU resets the whole device (its legacy deviation 11); what differs after the next
     * notify (Status, or InterruptStatus cleared) is named by that cause, and only while the target reads as reset.
     */
    @Test
    void aTargetThatReadsAsResetAfterQueuePfnZeroIsNamedByIt() {
        Program stopped = new Program(List.of(new Op.Write(MmioRegister.QUEUE_PFN, 4, 0), new Op.Notify(0)));
        Observation ref = afterNotify(0, 1, 0);
        Observation reset = afterNotify(0, 0, 0);
        Complaint v = oracle.compare(stopped, ref, reset, true);
        assertEquals("diff:notify:reset-by-queue-pfn-zero", v.signature(), v.summary());
        assertEquals(List.of("mmio-desc.dev.7"), v.requirementIds());
        Observation running = afterNotify(0, 1, RUNNING);
        assertEquals("diff:notify:reset-by-queue-pfn-zero",
                oracle.compare(stopped, running, reset, true).signature());
        // Not reset (InterruptStatus kept): the difference keeps its own name.
        assertEquals("diff:notify:status", oracle.compare(stopped, running, afterNotify(0, 1, 0), true).signature());
        // A read of InterruptStatus after it (fifth legacy campaign, f2c3b4fbd) is named the same way.
        Program read = new Program(List.of(new Op.Write(MmioRegister.QUEUE_PFN, 4, 0),
                new Op.Read(MmioRegister.INTERRUPT_STATUS, 4)));
        Observation refRead = new Observation();
        refRead.add(Observation.READ, 1, 1);
        Observation tgtRead = new Observation();
        tgtRead.add(Observation.READ, 1, 0);
        assertEquals("diff:read:reset-by-queue-pfn-zero", oracle.compare(read, refRead, tgtRead, true).signature());
        // No QueuePFN 0 since the last reset: no such cause.
        Program resetAfter = new Program(List.of(new Op.Write(MmioRegister.QUEUE_PFN, 4, 0), new Op.SetStatus(0),
                new Op.Notify(0)));
        assertEquals("diff:notify:used-interrupt-missing",
                oracle.compare(resetAfter, at(2, 0, 1, 0), at(2, 0, 0, 0), true).signature());
    }

    /**
     * QEMU 7.2 legacy campaign finding fbb66e165 (with a prelude): a DISCARD without a segment, not negotiated; the
     * reference answers UNSUPP, QEMU calls virtio_error, which on the legacy interface only marks the device broken:
     * no completion, no interrupt, no DEVICE_NEEDS_RESET. Named, on a legacy program only.
     */
    @Test
    void aLegacyDeviceThatStopsWhereTheReferenceFailedARequestGaveUpSilently() {
        Op setup = new Op.QueueSetup(0, 8, 0, 128, 4096, 4096);
        Program legacy = new Program(List.of(setup, new Op.Notify(0)));
        Observation ref = at(1, 1, 1, 0);
        complete2(ref, 1, 11, Blk.S_UNSUPP);
        Complaint v = oracle.compare(legacy, ref, at(1, 0, 0, 0), true);
        assertEquals("diff:notify:gave-up-silently", v.signature(), v.summary());
        assertEquals(List.of("blk-desc.dev.10"), v.requirementIds());
        Observation served = at(1, 1, 1, 0);
        complete2(served, 1, 11, Blk.S_OK);
        Complaint ok = oracle.compare(legacy, served, at(1, 0, 0, 0), true);
        assertEquals("diff:notify:used-idx", ok.signature(), ok.summary());
    }

    private static void complete2(Observation o, int head, int type, int status) {
        int u = complete(o, head, type, status);
        o.uOp[u] = 1;
    }

    /** After the notify at op {@code op}: used idx, InterruptStatus, Status. */
    private static Observation at(int op, long usedIdx, long isr, long status) {
        Observation o = new Observation();
        o.add(Observation.USED_IDX, op, usedIdx);
        o.add(Observation.ISR, op, isr);
        o.add(Observation.STATUS, op, status);
        return o;
    }

    @Test
    void aZeroLengthElementTheReferenceServedHasItsOwnSignature() {
        Observation ref = afterNotify(1, 1, RUNNING);
        int u = complete(ref, 0, Blk.T_OUT, Blk.S_OK);
        ref.uZeroLen[u] = true;
        Observation tgt = afterNotify(0, 3, RUNNING | DeviceStatus.DEVICE_NEEDS_RESET);
        Complaint v = oracle.compare(NOTIFY, ref, tgt, true);
        assertEquals("diff:notify:zero-length-element", v.signature(), v.summary());
        assertEquals(List.of("split.dev.1"), v.requirementIds());
    }

    @Test
    void aDeviceThatGivesUpOnAnIndirectDescriptorAfterTheHeadIsNamedByTheChain() {
        // QEMU 7.2 maps an indirect descriptor after a chain's head as data, fails the request and sets
        // DEVICE_NEEDS_RESET (finding f303bb1b8 of the 10-minute campaign): the cause is split.dev.8. Whether it
        // put the chain in the used ring before giving up (used idx 1) or not (0), the chain is named.
        Observation ref = afterNotify(1, 1, RUNNING);
        ref.uNonHeadIndirect[complete(ref, 1, Blk.T_IN, Blk.S_OK)] = true;
        for (long usedIdx : new long[] {0, 1}) {
            Observation tgt = afterNotify(usedIdx, 3, RUNNING | DeviceStatus.DEVICE_NEEDS_RESET);
            Complaint v = oracle.compare(NOTIFY, ref, tgt, true);
            assertEquals(List.of("diff:notify:indirect-after-head", "split.dev.8"),
                    List.of(v.signature(), v.requirementIds().get(0)), v.summary());
        }
    }

    @Test
    void aStatusMissingWhereTheIndirectTableAfterTheHeadPutsItIsNamedByTheChain() {
        // QEMU 7.2 finding fe7f2b74c: an OUT whose second descriptor is an indirect table holding its status buffer;
        // QEMU mapped the table as data and wrote the status at its end, so the recorded status byte kept 154.
        Observation ref = afterNotify(1, 1, RUNNING);
        ref.uNonHeadIndirect[complete(ref, 3, Blk.T_OUT, Blk.S_OK)] = true;
        Observation tgt = afterNotify(1, 1, RUNNING);
        tgt.uNonHeadIndirect[complete(tgt, 3, Blk.T_OUT, 154)] = true;
        Complaint v = oracle.compare(NOTIFY, ref, tgt, true);
        assertEquals("diff:indirect-after-head-served-as-data", v.signature(), v.summary());
        assertEquals(List.of("split.dev.8"), v.requirementIds());
    }

    @Test
    void aUsedIdxThatDiffersWithoutEitherStaysUsedIdx() {
        Observation ref = afterNotify(1, 1, RUNNING);
        complete(ref, 0, Blk.T_OUT, Blk.S_OK);
        Observation tgt = afterNotify(2, 1, RUNNING);
        Complaint v = oracle.compare(NOTIFY, ref, tgt, true);
        assertEquals("diff:notify:used-idx", v.signature(), v.summary());
        assertEquals(List.of("split-desc.dev.1"), v.requirementIds());
    }

    @Test
    void aStatusOfAChainWhoseHeaderAnotherChainWritesIsOrderDependent() {
        // Chain 0 writes its status into chain 1's header: the device may read chain 1's header before or after.
        Observation ref = afterNotify(2, 1, RUNNING);
        complete(ref, 0, Blk.T_SECURE_ERASE, Blk.S_UNSUPP);
        int r = complete(ref, 1, 2, Blk.S_UNSUPP);
        ref.uHeaderOverlap[r] = true;
        Observation tgt = afterNotify(2, 1, RUNNING);
        complete(tgt, 0, Blk.T_SECURE_ERASE, Blk.S_UNSUPP);
        int t = complete(tgt, 1, 2, Blk.S_OK);
        tgt.uHeaderOverlap[t] = true;
        assertNull(oracle.compare(NOTIFY, ref, tgt, true));
        ref.uHeaderOverlap[r] = false;
        tgt.uHeaderOverlap[t] = false;
        assertEquals("diff:status-byte:type2", oracle.compare(NOTIFY, ref, tgt, true).signature());
    }
}
