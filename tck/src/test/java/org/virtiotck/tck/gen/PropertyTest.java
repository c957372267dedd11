package org.virtiotck.tck.gen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PropertyTest {

    private static final Gen<List<Integer>> LISTS = Gen.listOf(Gen.ints(-10_000, 10_000));

    private static int sum(List<Integer> xs) {
        return xs.stream().mapToInt(Integer::intValue).sum();
    }

    @Test
    void truePropertyPassesAllTries() {
        AtomicInteger calls = new AtomicInteger();
        PropertyResult<List<Integer>> r = Property.forAll(LISTS).tries(250).seed(1).ignoreSystemProperties()
                .check(xs -> {
                    calls.incrementAndGet();
                    return sum(xs) == xs.stream().mapToInt(i -> i).reduce(0, Integer::sum);
                });
        assertThat(r.passed()).isTrue();
        assertThat(r.triesRun()).isEqualTo(250);
        assertThat(calls).hasValue(250);
        assertThat(r.shrunk().counterexample()).isEmpty();
        r.assertHolds();
        Property.forAll(Gen.ints(0, 10)).tries(50).ignoreSystemProperties().assertHolds(x -> x <= 10);
        Property.forAll(Gen.ints(0, 10)).ignoreSystemProperties()
                .assertHoldsThrowing(x -> assertThat(x).isBetween(0, 10));
    }

    @Test
    void failureMessageContainsSeedCounterexampleAndReplayHints() {
        Property<List<Integer>> p = Property.forAll(LISTS).seed(424242).name("sum bound").ignoreSystemProperties();
        assertThatThrownBy(() -> p.assertHoldsThrowing(xs -> assertThat(sum(xs)).as("sum").isLessThan(1000)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Property 'sum bound' falsified")
                .hasMessageContaining("seed 424242")
                .hasMessageContaining("Shrunk counterexample")
                .hasMessageContaining(": [1000]")
                .hasMessageContaining("-Dvirtio.seed=424242")
                .hasMessageContaining("-Dvirtio.replay=cs1:")
                .hasMessageContaining("Original failure: ")
                .hasMessageContaining("[sum]")
                .hasCauseInstanceOf(AssertionError.class);
    }

    @Test
    void resultCarriesOriginalAndShrunkCounterexamples() {
        PropertyResult<List<Integer>> r = Property.forAll(LISTS).seed(9).ignoreSystemProperties()
                .check(xs -> sum(xs) < 1000);
        assertThat(r.status()).isEqualTo(PropertyResult.Status.FAILED);
        assertThat(r.seed()).isEqualTo(9);
        assertThat(r.triesRun()).isBetween(1, Property.DEFAULT_TRIES);
        assertThat(r.failingTry()).isEqualTo(r.triesRun() - 1 + r.discards());
        assertThat(r.original().counterexample()).hasValueSatisfying(xs -> assertThat(sum(xs)).isGreaterThanOrEqualTo(1000));
        assertThat(r.shrunk().counterexample()).contains(List.of(1000));
        assertThat(r.original().description()).isEqualTo(r.original().counterexample().orElseThrow().toString());
        assertThat(r.original().choices().length()).isGreaterThanOrEqualTo(r.shrunk().choices().length());
        assertThat(r.failure()).isInstanceOf(Property.Falsified.class).hasMessage("property returned false");
        assertThat(r.report()).contains("seed 9");
    }

    @Test
    void replayFromTheSerializedStringReproducesTheCounterexample() {
        PropertyResult<List<Integer>> r = Property.forAll(LISTS).seed(31337).ignoreSystemProperties()
                .check(xs -> sum(xs) < 1000);
        String replay = r.replayString();

        assertThat(LISTS.replay(ChoiceSequence.decode(replay))).isEqualTo(List.of(1000));

        PropertyResult<List<Integer>> again = Property.forAll(LISTS).replay(replay).ignoreSystemProperties()
                .check(xs -> sum(xs) < 1000);
        assertThat(again.failed()).isTrue();
        assertThat(again.replayed()).isTrue();
        assertThat(again.original().counterexample()).contains(List.of(1000));
        assertThat(again.shrunk().counterexample()).contains(List.of(1000));
        assertThat(again.triesRun()).isEqualTo(1);

        // The original (unshrunk) case replays too.
        PropertyResult<List<Integer>> original = Property.forAll(LISTS).replay(r.original().choices().encode())
                .noShrinking().ignoreSystemProperties().check(xs -> sum(xs) < 1000);
        assertThat(original.original().description()).isEqualTo(r.original().description());

        // A fixed property passes the replayed case.
        assertThat(Property.forAll(LISTS).replay(replay).ignoreSystemProperties().check(xs -> true).passed()).isTrue();
    }

    @Test
    void failingTryCanBeReplayedAloneFromItsSeed() {
        PropertyResult<List<Integer>> r = Property.forAll(LISTS).seed(55).ignoreSystemProperties()
                .check(xs -> sum(xs) < 5000);
        assertThat(r.failingTrySeed()).isEqualTo(Property.deriveTrySeed(55, r.failingTry()));
        assertThat(LISTS.sample(r.failingTrySeed())).isEqualTo(r.original().counterexample().orElseThrow());
        PropertyResult<List<Integer>> one = Property.forAll(LISTS).trySeed(r.failingTrySeed())
                .ignoreSystemProperties().check(xs -> sum(xs) < 5000);
        assertThat(one.failed()).isTrue();
        assertThat(one.original().description()).isEqualTo(r.original().description());
        assertThat(one.shrunk().counterexample()).contains(List.of(5000));
    }

    @Test
    void sameSeedSameRun() {
        PropertyResult<List<Integer>> a = Property.forAll(LISTS).seed(-7).ignoreSystemProperties()
                .check(xs -> xs.size() < 5);
        PropertyResult<List<Integer>> b = Property.forAll(LISTS).seed(-7).ignoreSystemProperties()
                .check(xs -> xs.size() < 5);
        assertThat(a.failingTry()).isEqualTo(b.failingTry());
        assertThat(a.original().description()).isEqualTo(b.original().description());
        assertThat(a.shrunk().counterexample()).contains(List.of(0, 0, 0, 0, 0)).isEqualTo(b.shrunk().counterexample());
    }

    @Test
    void defaultSeedIsRandomButReported() {
        PropertyResult<Integer> a = Property.forAll(Gen.ints()).ignoreSystemProperties().check(x -> x != 0);
        PropertyResult<Integer> b = Property.forAll(Gen.ints()).ignoreSystemProperties().check(x -> x != 0);
        assertThat(a.seed()).isNotEqualTo(b.seed());
        if (a.failed()) {
            assertThat(a.report()).contains("-Dvirtio.seed=" + a.seed());
        }
    }

    @Test
    void systemPropertiesOverrideSeedTriesAndReplay() {
        String oldSeed = System.getProperty(Property.SEED_PROPERTY);
        String oldTries = System.getProperty(Property.TRIES_PROPERTY);
        String oldReplay = System.getProperty(Property.REPLAY_PROPERTY);
        try {
            System.setProperty(Property.SEED_PROPERTY, "0x10");
            System.setProperty(Property.TRIES_PROPERTY, "17");
            PropertyResult<Integer> r = Property.forAll(Gen.ints()).seed(1).tries(500).check(x -> true);
            assertThat(r.seed()).isEqualTo(16);
            assertThat(r.triesRun()).isEqualTo(17);
            assertThat(Property.forAll(Gen.ints()).seed(1).ignoreSystemProperties().check(x -> true).seed())
                    .isEqualTo(1);

            System.setProperty(Property.REPLAY_PROPERTY, ChoiceSequence.of(1, 1000, 0, 0).encode());
            PropertyResult<List<Integer>> replayed = Property.forAll(LISTS).check(xs -> sum(xs) < 1000);
            assertThat(replayed.replayed()).isTrue();
            assertThat(replayed.original().counterexample()).contains(List.of(1000));
            assertThat(replayed.report()).contains("falsified by the replayed choice sequence");
        } finally {
            restore(Property.SEED_PROPERTY, oldSeed);
            restore(Property.TRIES_PROPERTY, oldTries);
            restore(Property.REPLAY_PROPERTY, oldReplay);
        }
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }

    @Test
    void discardsAreSkippedAndTooManyGiveUp() {
        PropertyResult<Integer> some = Property.forAll(Gen.ints(0, 100)).seed(3).tries(50).ignoreSystemProperties()
                .checkThrowing(x -> Discard.assume(x % 2 == 0));
        assertThat(some.passed()).isTrue();
        assertThat(some.triesRun()).isEqualTo(50);
        assertThat(some.discards()).isPositive();

        PropertyResult<Integer> none = Property.forAll(Gen.ints(0, 100).filter(x -> x > 1000, 3)).seed(3).tries(10)
                .ignoreSystemProperties().check(x -> true);
        assertThat(none.status()).isEqualTo(PropertyResult.Status.EXHAUSTED);
        assertThat(none.triesRun()).isZero();
        assertThatThrownBy(none::assertHolds).isInstanceOf(AssertionError.class)
                .hasMessageContaining("gave up").hasMessageContaining("-Dvirtio.seed=3");
    }

    @Test
    void generatorExceptionsAreFailures() {
        Gen<Integer> broken = Gen.ints(0, 100).map(x -> {
            if (x > 50) {
                throw new IllegalStateException("boom");
            }
            return x;
        });
        PropertyResult<Integer> r = Property.forAll(broken).seed(2).ignoreSystemProperties().check(x -> true);
        assertThat(r.failed()).isTrue();
        assertThat(r.failure()).isInstanceOf(IllegalStateException.class);
        assertThat(r.shrunk().choices()).isEqualTo(ChoiceSequence.of(51));
    }

    @Test
    void twoGeneratorsShrinkTogether() {
        PropertyResult<Gen.Pair<Integer, Integer>> r = Property.forAll(Gen.ints(0, 1000), Gen.ints(0, 1000))
                .seed(8).ignoreSystemProperties().check(p -> p.first() + p.second() < 300 || p.first() < 100);
        assertThat(r.shrunk().counterexample()).contains(new Gen.Pair<>(100, 200));
    }

    @Test
    void arraysAreDescribedByContent() {
        PropertyResult<byte[]> r = Property.forAll(Gen.bytes(3)).seed(1).ignoreSystemProperties()
                .check(b -> b[2] == 0);
        assertThat(r.shrunk().description()).isEqualTo("[0, 0, 1]");
    }
}
