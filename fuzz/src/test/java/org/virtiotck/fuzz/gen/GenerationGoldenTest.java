package org.virtiotck.fuzz.gen;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.virtiotck.fuzz.exec.TargetProfile;
import org.virtiotck.fuzz.program.Program;
import org.virtiotck.tck.gen.Source;
import org.virtiotck.tck.spi.Target;
import org.virtiotck.tck.spi.Targets;

/**
 * Generation and mutation are pure functions of the seed: speed work on them must not change a single program.
 * Seeded programs (generated, and each strategy applied to the one before) are hashed, op by op, and the hash
 * compared with the one the code made when this test was written. A deliberate change of what the generator
 * or a mutation does changes the hash: record the new one with the change, saying why.
 */
class GenerationGoldenTest {
    @ParameterizedTest
    @CsvSource({"reference, 4c59b2a153b365e0", "reference:legacy, 83ed377b9c36e3f8"})
    void seededProgramsAreTheSameAsWhenRecorded(String uri, String golden) {
        long hash;
        try (Target t = Targets.open(uri)) {
            ProgramGen gen = new ProgramGen(TargetProfile.probe(t));
            Mutations mutations = gen.mutations();
            SplittableRandom rng = new SplittableRandom(5);
            Program previous = null;
            hash = 17;
            for (int i = 0; i < 3000; i++) {
                Program p = gen.generate(Source.random(rng.nextLong()));
                if (previous != null && i % 3 != 0) {
                    p = mutations.apply(Mutations.Strategy.values()[i % Mutations.Strategy.values().length],
                            previous, Source.random(rng.nextLong()));
                }
                previous = p;
                for (int k = 0; k < p.size(); k++) {
                    hash = hash * 1_000_003 + p.get(k).toString().hashCode();
                }
            }
        }
        assertThat(Long.toHexString(hash)).isEqualTo(golden);
    }
}
