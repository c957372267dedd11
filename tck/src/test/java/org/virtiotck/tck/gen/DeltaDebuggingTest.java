package org.virtiotck.tck.gen;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DeltaDebuggingTest {

    private static final List<Integer> HUNDRED = IntStream.range(0, 100).boxed().toList();

    @Test
    void findsTheMinimalFailingSubset() {
        DeltaDebugging.Result<Integer> r = DeltaDebugging.minimize(HUNDRED,
                l -> l.contains(13) && l.contains(42) && l.contains(77), 10_000);
        assertThat(r.minimal()).containsExactly(13, 42, 77);
        assertThat(r.exhausted()).isFalse();
        assertThat(r.tests()).isLessThan(300);
    }

    @Test
    void preservesOrderAndHandlesOrderDependentFailures() {
        // Fails when a "write 7" is followed (anywhere later) by a "read 7": a typical program-minimization shape.
        List<String> program = List.of("w1", "r2", "w7", "w3", "r1", "w9", "r7", "r3", "w7");
        List<String> min = DeltaDebugging.ddmin(program, l -> {
            int w = l.indexOf("w7");
            return w >= 0 && l.subList(w, l.size()).contains("r7");
        });
        assertThat(min).containsExactly("w7", "r7");
    }

    @Test
    void resultIsOneMinimal() {
        java.util.function.Predicate<List<Integer>> fails = l -> l.stream().mapToInt(Integer::intValue).sum() >= 150;
        List<Integer> min = DeltaDebugging.ddmin(HUNDRED, fails);
        assertThat(fails.test(min)).isTrue();
        for (int i = 0; i < min.size(); i++) {
            List<Integer> without = new java.util.ArrayList<>(min);
            without.remove(i);
            assertThat(fails.test(without)).as("removing %s", min.get(i)).isFalse();
        }
    }

    @Test
    void alwaysFailingInputShrinksToEmpty() {
        assertThat(DeltaDebugging.ddmin(HUNDRED, l -> true)).isEmpty();
    }

    @Test
    void budgetIsRespected() {
        DeltaDebugging.Result<Integer> r = DeltaDebugging.minimize(HUNDRED, l -> l.contains(5) && l.contains(95), 3);
        assertThat(r.tests()).isEqualTo(3);
        assertThat(r.exhausted()).isTrue();
        assertThat(r.minimal()).contains(5, 95);
    }
}
