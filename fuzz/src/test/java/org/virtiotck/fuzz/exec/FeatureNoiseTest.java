package org.virtiotck.fuzz.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.virtiotck.fuzz.gen.ProgramGen;
import org.virtiotck.fuzz.program.Program;
import org.virtiotck.spec.Blk;
import org.virtiotck.tck.gen.Source;

/**
 * Behaviour features name what the device did, not the random numbers a program fed it. A NEEDS_RESET reason's
 * kind leaves out the addresses and lengths in its words, and a completion's status byte counts as itself only when
 * it is one a device writes. Before this, the hex letters of addresses (and the 253 other bytes a program leaves in
 * a status byte the device did not write) made nearly every program "new": the corpus churned and filled with ever
 * longer programs, and a campaign's CPU per exec grew with its age (fuzz/README.md, "Known gaps").
 */
class FeatureNoiseTest {

    @Test
    void aResetReasonsKindIgnoresTheNumbersInIt() {
        long a = Harness.normalize("indirect entry 0 buffer [0xae1cf1a228, +0x140) is not inside guest RAM");
        long b = Harness.normalize("indirect entry 3 buffer [0xffffef07eceba8bd, +0x13f) is not inside guest RAM");
        assertThat(a).isEqualTo(b);
        assertThat(Harness.normalize("descriptor 3 buffer [0x3ffffe70, +0x10) is not inside guest RAM"))
                .as("other words, another kind").isNotEqualTo(a);
        assertThat(Harness.normalize("request at head 5 has no device-writable byte for the status"))
                .isEqualTo(Harness.normalize("request at head 12 has no device-writable byte for the status"))
                .isNotEqualTo(Harness.normalize("request at head 12 has only 3 readable bytes"));
        assertThat(Harness.normalize("queue abc")).as("words without digits count")
                .isNotEqualTo(Harness.normalize("queue abd"));
    }

    @Test
    void onlyTheStatusBytesADeviceWritesAreTheirOwnFeature() {
        Set<Integer> classes = new HashSet<>();
        for (int s = -1; s < 256; s++) {
            classes.add(Harness.statusClass(s));
        }
        assertThat(classes).hasSize(4);
        assertThat(Set.of(Harness.statusClass(Blk.S_OK), Harness.statusClass(Blk.S_IOERR),
                Harness.statusClass(Blk.S_UNSUPP))).hasSize(3);
        assertThat(Harness.statusClass(3)).isEqualTo(Harness.statusClass(0xff)).isEqualTo(Harness.statusClass(-1))
                .isEqualTo(Harness.statusClass(0x7f));
    }

    /**
     * Over seeded generated programs against the reference device, reasons that differ only in words with digits
     * have one kind, and reasons whose other words differ have different kinds (checked against an independent
     * rewording: each word holding a digit replaced by {@code #}).
     */
    @Test
    void seededProgramsResetKindsMatchTheirWordingWithoutNumbers() {
        Map<String, Long> kindOf = new HashMap<>();
        try (Harness h = Harness.forTarget(org.virtiotck.tck.spi.Targets.open("reference"), "reference", 0)) {
            ProgramGen gen = new ProgramGen(h.profile());
            SplittableRandom rng = new SplittableRandom(11);
            Set<String> reasons = new HashSet<>();
            for (int i = 0; i < 4000; i++) {
                Program p = gen.generate(Source.random(rng.nextLong()));
                h.run(p);
                String reason = h.referenceObservation().needsResetReason();
                if (reason == null) {
                    continue;
                }
                reasons.add(reason);
                String words = firstSixWithoutNumbers(reason);
                Long kind = Harness.normalize(reason);
                Long before = kindOf.putIfAbsent(words, kind);
                assertThat(before == null ? kind : before).as(reason).isEqualTo(kind);
            }
            assertThat(reasons).as("distinct reasons seen").hasSizeGreaterThan(kindOf.size());
            assertThat(new HashSet<>(kindOf.values())).as("one kind per wording").hasSize(kindOf.size());
        }
    }

    private static String firstSixWithoutNumbers(String reason) {
        String[] w = reason.split(" ", -1);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < Math.min(6, w.length); i++) {
            b.append(w[i].matches(".*\\d.*") ? "#" : w[i].replaceAll("[^\\p{L}]", "")).append(' ');
        }
        return b.toString();
    }
}
