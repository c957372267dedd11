package org.virtiotck.fuzz.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.virtiotck.fuzz.gen.Mutations;
import org.virtiotck.fuzz.gen.ProgramGen;
import org.virtiotck.fuzz.program.Program;
import org.virtiotck.tck.adapter.reference.ReferenceTarget;
import org.virtiotck.tck.gen.Source;
import org.virtiotck.tck.spi.Targets;

/**
 * The in-process reference device judged as its own oracle (one run per program, see {@link Harness}) decides
 * exactly what two copies of it decide: for seeded generated and mutated programs, the same complaint (or none),
 * the same behaviour features (which steer the campaign: two copies add only the target's side, a mirror of the
 * oracle's) and the same driver-rule record, program after program, through the disk and device state the programs
 * leave behind.
 */
class SelfOracleTest {
    private static final int PROGRAMS = 1500;

    @ParameterizedTest
    @ValueSource(strings = {"reference", "reference:legacy"})
    void oneRunJudgesAndSteersExactlyAsTwoCopies(String uri) {
        try (Harness one = Harness.forTarget(Targets.open(uri), uri, 0);
             Harness two = twoCopies(uri)) {
            assertThat(one.oracle()).as("one device plays both roles").isSameAs(one.target());
            assertThat(two.oracle()).isNotSameAs(two.target());
            ProgramGen gen = new ProgramGen(one.profile());
            Mutations mutations = gen.mutations();
            SplittableRandom rng = new SplittableRandom(7);
            Program previous = null;
            int violating = 0;
            for (int i = 0; i < PROGRAMS; i++) {
                Program p = gen.generate(Source.random(rng.nextLong()));
                if (previous != null && i % 2 == 1) {
                    p = mutations.apply(Mutations.Strategy.values()[i % Mutations.Strategy.values().length],
                            previous, Source.random(rng.nextLong()));
                }
                previous = p;
                Complaint a = one.run(p);
                Complaint b = two.run(p);
                String at = uri + ", program " + i + " (seed 7)";
                assertThat(a == null ? null : a.signature()).as(at).isEqualTo(b == null ? null : b.signature());
                // Two copies feed the target's side first, then what one device feeds; and the target's
                // observation, fed as the oracle's, gives the oracle's features: its side only mirrors the other.
                List<Long> targetSide = new ArrayList<>();
                Harness.observationFeatures(p, two.targetObservation(), Harness.TARGET_SIDE, targetSide::add);
                List<Long> expected = new ArrayList<>(targetSide);
                expected.addAll(features(one, p));
                assertThat(features(two, p)).as(at).isEqualTo(expected);
                assertThat(sideFeatures(p, two.targetObservation())).as(at)
                        .isEqualTo(sideFeatures(p, two.referenceObservation()));
                assertThat(one.referenceObservation().violations()).as(at)
                        .isEqualTo(two.referenceObservation().violations());
                assertThat(one.disksInSync()).as(at).isEqualTo(two.disksInSync());
                violating += one.referenceObservation().violations().isEmpty() ? 0 : 1;
            }
            assertThat(violating).as("programs that broke a driver rule").isBetween(PROGRAMS / 20, PROGRAMS - 1);
        }
    }

    private static Harness twoCopies(String uri) {
        ReferenceTarget target = (ReferenceTarget) Targets.open(uri);
        return new Harness(target, Targets.open(uri), TargetProfile.probe(target), true, 0);
    }

    private static List<Long> sideFeatures(Program p, Observation o) {
        List<Long> out = new ArrayList<>();
        Harness.observationFeatures(p, o, Harness.ORACLE_SIDE, out::add);
        return out;
    }

    private static List<Long> features(Harness h, Program p) {
        List<Long> out = new ArrayList<>();
        h.features(p, out::add);
        return out;
    }
}
