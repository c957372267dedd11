package org.virtiotck.fuzz.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The campaign's feature set against {@link HashSet}, through several growths and with 0 among the values. */
class LongSetTest {
    private static final long SEED = 0x10f6e7L;

    @Test
    void behavesLikeAHashSet() {
        SplittableRandom rnd = new SplittableRandom(SEED);
        LongSet set = new LongSet();
        Set<Long> model = new HashSet<>();
        for (int i = 0; i < 50_000; i++) {
            // small values collide often; 0 is stored out of band
            long v = rnd.nextBoolean() ? rnd.nextLong(20_000) : rnd.nextLong();
            assertThat(set.add(v)).as("seed %s add %s", SEED, v).isEqualTo(model.add(v));
            long probe = rnd.nextLong(40_000) - 10_000;
            assertThat(set.contains(probe)).as("seed %s contains %s", SEED, probe).isEqualTo(model.contains(probe));
        }
        assertThat(set.size()).isEqualTo(model.size());
        for (long v : model) {
            assertThat(set.contains(v)).isTrue();
        }
    }
}
