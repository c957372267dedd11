package org.virtiotck.fuzz.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.virtiotck.fuzz.program.Program;
import org.virtiotck.fuzz.program.ProgramJson;
import org.virtiotck.spec.Blk;
import org.virtiotck.tck.spi.Targets;

/**
 * What the executor records of the chains of the two programs the QEMU 7.2 triage found the oracle misnaming
 * (docs/qemu-7.2-findings.md, "Fuzz campaign on the final build"), run against the in-process reference.
 */
class ChainRecordTest {
    /** Runs the program of finding {@code id} against the reference alone and returns the reference's view. */
    private static Observation referenceRun(String id) throws IOException {
        Program p;
        try (InputStream in = ChainRecordTest.class.getResourceAsStream(id + "-program.json")) {
            p = ProgramJson.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        try (Harness h = Harness.forTarget(Targets.open("reference"), "reference", 0)) {
            assertEquals(null, h.run(p));
            return h.referenceObservation();
        }
    }

    private static int completion(Observation o, int head) {
        for (int u = 0; u < o.used; u++) {
            if (o.uQueue[u] == 0 && o.uHead[u] == head) {
                return u;
            }
        }
        return fail("no completion of id " + head + ":\n" + o.describe());
    }

    @Test
    void aHeaderAnEarlierChainOverwroteIsNamedByTheTypeTheReferenceRead() throws IOException {
        Observation ref = referenceRun("fd426315e");
        // Chain 0's 17-byte status buffer ends on chain 3's header: it writes UNSUPP (2) into its type.
        int erase = completion(ref, 0);
        assertEquals(Blk.T_SECURE_ERASE, ref.uType[erase]);
        assertFalse(ref.uHeaderOverlap[erase]);
        int in = completion(ref, 3);
        assertTrue(ref.uHeaderOverlap[in], "chain 3's header lies in chain 0's writable bytes");
        assertEquals(Blk.S_UNSUPP, ref.uType[in], "the type the reference read, not the IN the program wrote");
        assertEquals(Blk.S_UNSUPP, ref.uStatus[in]);
        assertFalse(ref.uHeaderOverlap[completion(ref, 6)]);
    }

    @Test
    void aChainWithAZeroLengthDescriptorIsMarked() throws IOException {
        Observation ref = referenceRun("fbb66e165");
        assertTrue(ref.uZeroLen[completion(ref, 0)], "the OUT's data descriptor has length 0");
        assertFalse(ref.uZeroLen[completion(ref, 3)]);
    }
}
