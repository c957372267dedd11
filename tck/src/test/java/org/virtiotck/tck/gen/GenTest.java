package org.virtiotck.tck.gen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class GenTest {

    record Access(boolean write, long offset, int width, List<Integer> payload) {
    }

    /** A composite, dependent generator resembling what the fuzzer builds. */
    static final Gen<Access> ACCESS = Gen.booleans().flatMap(write -> Gen.zip(
            Gen.longs(0, 0x1FF).map(o -> o & ~3L),
            Gen.oneOf(1, 2, 4, 8),
            write ? Gen.listOf(Gen.ints(0, 255), 0, 8) : Gen.constant(List.<Integer>of()),
            (o, w, p) -> new Access(write, o, w, p)));

    static final Gen<List<Access>> PROGRAM = Gen.listOf(ACCESS, 0, 20);

    @Test
    void generationIsDeterministicPerSeed() {
        for (long seed = 0; seed < 50; seed++) {
            Source a = Source.random(seed);
            Source b = Source.random(seed);
            assertThat(PROGRAM.generate(a)).isEqualTo(PROGRAM.generate(b));
            assertThat(a.choices()).isEqualTo(b.choices());
        }
        Set<List<Access>> distinct = new HashSet<>();
        for (long seed = 0; seed < 50; seed++) {
            distinct.add(PROGRAM.sample(seed));
        }
        assertThat(distinct).hasSizeGreaterThan(40);
    }

    @Test
    void replayingRecordedChoicesReproducesTheValue() {
        Gen<List<Long>> anyLongs = Gen.listOf(Gen.longs(), 0, 10);
        Gen<List<Long>> mixed = Gen.listOf(Gen.longs(-1_000, 7), 0, 10);
        for (long seed = 0; seed < 200; seed++) {
            Source s = Source.random(seed);
            List<Access> program = PROGRAM.generate(s);
            assertThat(PROGRAM.replay(s.choices())).isEqualTo(program);
            assertThat(PROGRAM.replay(ChoiceSequence.decode(s.choices().encode()))).isEqualTo(program);

            Source t = Source.random(seed);
            List<Long> longs = anyLongs.generate(t);
            assertThat(anyLongs.replay(t.choices())).isEqualTo(longs);

            Source u = Source.random(seed);
            List<Long> m = mixed.generate(u);
            assertThat(mixed.replay(u.choices())).isEqualTo(m);
            assertThat(m).allSatisfy(v -> assertThat(v).isBetween(-1_000L, 7L));
        }
    }

    @Test
    void exhaustedReplayPadsWithMinimalChoices() {
        assertThat(PROGRAM.replay(ChoiceSequence.EMPTY)).isEmpty();
        assertThat(Gen.ints(-5, 5).replay(ChoiceSequence.EMPTY)).isZero();
        assertThat(Gen.ints(3, 9).replay(ChoiceSequence.EMPTY)).isEqualTo(3);
        assertThat(Gen.ints(-9, -3).replay(ChoiceSequence.EMPTY)).isEqualTo(-3);
        assertThat(Gen.listOf(Gen.ints(3, 9), 2, 5).replay(ChoiceSequence.EMPTY)).containsExactly(3, 3);
    }

    @Test
    void numbersAreBiasedTowardsEdges() {
        Gen<Long> g = Gen.longs(3, 1L << 20);
        List<Long> values = new ArrayList<>();
        Source s = Source.random(12345);
        for (int i = 0; i < 2000; i++) {
            values.add(g.generate(s));
        }
        assertThat(values).allSatisfy(v -> assertThat(v).isBetween(3L, 1L << 20));
        assertThat(values).contains(3L, 1L << 20, 4L);
        long powersOfTwo = values.stream().filter(v -> Long.bitCount(v) == 1).count();
        assertThat(powersOfTwo).as("powers of two among 2000 draws").isGreaterThan(50);
        long small = values.stream().filter(v -> v < 1000).count();
        assertThat(small).as("small values").isGreaterThan(100);

        Set<Integer> ints = new HashSet<>();
        Source t = Source.random(99);
        for (int i = 0; i < 2000; i++) {
            ints.add(Gen.ints().generate(t));
        }
        assertThat(ints).contains(0, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE);
        assertThat(ints.stream().filter(v -> v > 1 && Integer.bitCount(v) == 1).count())
                .as("distinct powers of two").isGreaterThan(5);
    }

    @Test
    void listSizesStayInBoundsAndHitTheBounds() {
        Gen<List<Integer>> g = Gen.listOf(Gen.ints(0, 9), 2, 12);
        Set<Integer> sizes = new HashSet<>();
        for (long seed = 0; seed < 500; seed++) {
            List<Integer> l = g.sample(seed);
            assertThat(l.size()).isBetween(2, 12);
            sizes.add(l.size());
        }
        assertThat(sizes).contains(2, 12);
    }

    @Test
    void oneOfAndFrequencyPickOnlyGivenOptions() {
        Set<String> seen = new HashSet<>();
        Gen<String> f = Gen.frequency(Gen.weighted(1, Gen.constant("a")), Gen.weighted(0, Gen.constant("never")),
                Gen.weighted(9, Gen.constant("b")));
        int b = 0;
        for (long seed = 0; seed < 1000; seed++) {
            String v = f.sample(seed);
            seen.add(v);
            b += v.equals("b") ? 1 : 0;
        }
        assertThat(seen).containsExactlyInAnyOrder("a", "b");
        assertThat(b).isBetween(820, 960);

        Set<Integer> picks = new HashSet<>();
        for (long seed = 0; seed < 200; seed++) {
            picks.add(Gen.oneOf(2, 3, 5, 7).sample(seed));
        }
        assertThat(picks).containsExactlyInAnyOrder(2, 3, 5, 7);
    }

    @Test
    void subsetsStayWithinTheMask() {
        long mask = 0b1011_0000_0001L | (1L << 63);
        Set<Long> seen = new HashSet<>();
        for (long seed = 0; seed < 400; seed++) {
            long v = Gen.subsetOf(mask).sample(seed);
            assertThat(v & ~mask).isZero();
            seen.add(v);
        }
        assertThat(seen).contains(0L, mask);
        assertThat(seen.size()).isGreaterThan(20);
    }

    @Test
    void shufflesArePermutations() {
        List<Integer> base = IntStream.range(0, 10).boxed().toList();
        Set<List<Integer>> seen = new HashSet<>();
        for (long seed = 0; seed < 100; seed++) {
            List<Integer> p = Gen.shuffle(base).sample(seed);
            assertThat(p).containsExactlyInAnyOrderElementsOf(base);
            seen.add(p);
        }
        assertThat(seen.size()).isGreaterThan(90);
        assertThat(Gen.shuffle(base).replay(ChoiceSequence.EMPTY)).isEqualTo(base);
        assertThat(Gen.permutation(4).replay(ChoiceSequence.EMPTY)).containsExactly(0, 1, 2, 3);
        assertThat(Gen.subsequence(base).sample(3)).isSubsetOf(base).isSorted();
    }

    @Test
    void bytesHaveTheRequestedLengths() {
        assertThat(Gen.bytes(16).sample(1)).hasSize(16);
        for (long seed = 0; seed < 50; seed++) {
            assertThat(Gen.bytes(1, 4).sample(seed).length).isBetween(1, 4);
        }
    }

    @Test
    void filterRetriesThenDiscards() {
        Gen<Integer> even = Gen.ints(0, 1000).filter(i -> i % 2 == 0);
        for (long seed = 0; seed < 100; seed++) {
            assertThat(even.sample(seed) % 2).isZero();
        }
        Gen<Integer> impossible = Gen.ints(0, 1000).filter(i -> false, 5);
        assertThatThrownBy(() -> impossible.sample(1)).isInstanceOf(Discard.class);
    }

    @Test
    void runawayGeneratorsOverrun() {
        Gen<Integer> forever = s -> {
            while (true) {
                s.choice(10);
            }
        };
        assertThatThrownBy(() -> forever.sample(1)).isInstanceOf(Discard.Overrun.class);
    }

    @Test
    void invalidArgumentsAreRejected() {
        assertThatThrownBy(() -> Gen.longs(5, 4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Gen.listOf(Gen.booleans(), 3, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Gen.oneOf(List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
