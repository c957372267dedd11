package org.virtiotck.fuzz.jazzer;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.virtiotck.fuzz.exec.TargetProfile;
import org.virtiotck.tck.spi.Target;
import org.virtiotck.fuzz.exec.Harness;
import org.virtiotck.fuzz.exec.Complaint;
import org.virtiotck.fuzz.gen.ProgramGen;
import org.virtiotck.fuzz.program.Program;
import org.virtiotck.fuzz.program.ProgramJson;
import org.virtiotck.tck.gen.ChoiceSequence;
import org.virtiotck.tck.gen.Discard;
import org.virtiotck.tck.gen.Source;
import org.virtiotck.tck.spi.Targets;

/**
 * Jazzer entry points for the in-process reference targets, for coverage-guided campaigns (OSS-Fuzz,
 * ClusterFuzzLite, or locally with {@code JAZZER_FUZZ=1}). Jazzer's bytes become the choice sequence of the same
 * {@link ProgramGen} the campaign uses ({@link #choices}), the program runs through the same {@link Harness}
 * (target + reference oracle in lockstep, differential, canaries, disk check), and any oracle complaint fails the
 * test with the program as JSON.
 *
 * <p>Without {@code JAZZER_FUZZ}, Jazzer runs each method once per seed input in
 * {@code src/test/resources/org/virtiotck/fuzz/jazzer/ReferenceDeviceFuzzTestInputs/<method>/} (regression mode).
 */
class ReferenceDeviceFuzzTest {
    private static Harness modern;
    private static Harness legacy;

    @FuzzTest(maxDuration = "60s")
    void modernReference(FuzzedDataProvider data) {
        if (modern == null) {
            modern = Harness.forTarget(Targets.open("reference"), "reference", 0);
        }
        check(modern, data.consumeRemainingAsBytes());
    }

    @FuzzTest(maxDuration = "60s")
    void legacyReference(FuzzedDataProvider data) {
        if (legacy == null) {
            legacy = Harness.forTarget(Targets.open("reference:legacy"), "reference:legacy", 0);
        }
        check(legacy, data.consumeRemainingAsBytes());
    }

    @Test
    void seedBytesReplayTheGeneratedProgramExactly() {
        try (Target t = Targets.open("reference:legacy")) {
            for (TargetProfile profile : new TargetProfile[] {TargetProfile.probe(t),
                    new TargetProfile(false, 0x1_3000_0e64L, 1, 256, 2048)}) {
                ProgramGen gen = new ProgramGen(profile);
                for (long seed = 0; seed < 100; seed++) {
                    Source s = Source.random(seed);
                    Program p = gen.generate(s);
                    assertEquals(p, gen.generate(Source.replay(choices(bytes(s.choices())))));
                }
            }
        }
    }

    @AfterAll
    static void close() {
        if (modern != null) {
            modern.close();
            modern = null;
        }
        if (legacy != null) {
            legacy.close();
            legacy = null;
        }
    }

    private static void check(Harness h, byte[] bytes) {
        Program p;
        try {
            p = new ProgramGen(h.profile()).generate(Source.replay(choices(bytes)));
        } catch (Discard d) {
            return;
        }
        Complaint v = h.run(p);
        if (v != null) {
            throw new AssertionError(v.signature() + ": " + v.summary() + " " + v.requirementIds()
                    + "\nprogram: " + ProgramJson.toJson(p));
        }
    }

    /**
     * Bytes to choices, one choice per tagged group, so that libFuzzer's byte mutations are choice edits: a byte
     * {@code b} with top bits {@code 00} is the choice {@code b & 1}, {@code 01} is {@code b & 0x3f}, {@code 10}
     * reads a little-endian 16-bit value from the next two bytes, {@code 11} a 64-bit one from the next eight
     * (missing bytes read 0). The source clamps each choice to its range; past the end every choice is 0, the
     * simplest, so the empty input is the plain skeleton. {@link #bytes} is the inverse for recorded choices.
     */
    static ChoiceSequence choices(byte[] in) {
        long[] out = new long[in.length];
        int n = 0;
        for (int i = 0; i < in.length; ) {
            int b = in[i++] & 0xff;
            int w = switch (b >>> 6) {
                case 0, 1 -> 0;
                case 2 -> 2;
                default -> 8;
            };
            long v = switch (b >>> 6) {
                case 0 -> b & 1;
                case 1 -> b & 0x3f;
                default -> 0;
            };
            for (int k = 0; k < w; k++, i++) {
                v |= (i < in.length ? in[i] & 0xffL : 0) << (8 * k);
            }
            out[n++] = v;
        }
        return ChoiceSequence.of(java.util.Arrays.copyOf(out, n));
    }

    /** The input bytes that replay {@code cs} exactly (for seed inputs). */
    static byte[] bytes(ChoiceSequence cs) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (long v : cs.toArray()) {
            if (v == 0 || v == 1) {
                o.write((int) v);
            } else if (v >= 0 && v < 64) {
                o.write(0x40 | (int) v);
            } else if (v >= 0 && v < 65536) {
                o.write(0x80);
                o.write((int) v);
                o.write((int) (v >>> 8));
            } else {
                o.write(0xc0);
                for (int k = 0; k < 8; k++) {
                    o.write((int) (v >>> (8 * k)));
                }
            }
        }
        return o.toByteArray();
    }
}
