package org.virtiotck.fuzz.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.virtiotck.fuzz.gen.ProgramGen;
import org.virtiotck.fuzz.program.Program;
import org.virtiotck.tck.gen.Source;
import org.virtiotck.tck.spi.Target;
import org.virtiotck.tck.spi.Targets;

/**
 * Between runs the executor puts the canary back only where the program wrote and where the device was allowed to
 * write, when the read-back showed the rest intact ({@link ShadowArena#restore}). After every one of many seeded
 * programs (valid and hostile, some breaking the canary themselves through the device), the target's arena must
 * hold the canary again, byte for byte, as a restore of the whole arena would leave it.
 */
class ArenaRestoreTest {
    @ParameterizedTest
    @ValueSource(strings = {"reference", "reference:legacy"})
    void theArenaHoldsTheCanaryAgainAfterEveryProgram(String uri) {
        try (Target t = Targets.open(uri)) {
            Executor ex = new Executor(t, true, 0);
            ProgramGen gen = new ProgramGen(TargetProfile.probe(t));
            SplittableRandom rng = new SplittableRandom(11);
            byte[] ram = new byte[ShadowArena.ARENA];
            int partial = 0;
            for (int i = 0; i < 800; i++) {
                Program p = gen.generate(Source.random(rng.nextLong()));
                Observation o = ex.run(p, null);
                boolean whole = o.canaryBytes > 0;
                ex.arena.restore();
                ex.arena.flush();
                t.readMemory(t.ram().base(), ram, 0, ram.length);
                int m = Arrays.mismatch(ram, ShadowArena.CANARY);
                assertThat(m).as("%s, program %d (seed 11): first byte left changed at arena offset %d%n%s", uri,
                        i, m, p.describe()).isEqualTo(-1);
                partial += whole ? 0 : 1;
            }
            assertThat(partial).as("runs restored in part (read-back intact)").isGreaterThan(400);
        }
    }
}
