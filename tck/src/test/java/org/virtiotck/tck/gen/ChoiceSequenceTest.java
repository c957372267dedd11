package org.virtiotck.tck.gen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChoiceSequenceTest {

    @Test
    void encodingRoundTripsEdgeValues() {
        ChoiceSequence cs = ChoiceSequence.of(0, 1, 127, 128, 255, 16_384, Long.MAX_VALUE, Long.MIN_VALUE, -1L, 42);
        String text = cs.encode();
        assertThat(text).startsWith(ChoiceSequence.ENCODING_PREFIX).matches("cs1:[A-Za-z0-9_-]*");
        assertThat(ChoiceSequence.decode(text)).isEqualTo(cs);
        assertThat(ChoiceSequence.decode(text).toArray()).containsExactly(cs.toArray());
    }

    @Test
    void encodingIsCompactForSmallChoices() {
        ChoiceSequence cs = ChoiceSequence.of(1, 0, 5, 1, 3, 0, 0);
        // seven one-byte varints -> ten base64 characters
        assertThat(cs.encode()).isEqualTo("cs1:AQAFAQMAAA");
        assertThat(ChoiceSequence.decode(" cs1:AQAFAQMAAA ")).isEqualTo(cs);
    }

    @Test
    void emptySequenceRoundTrips() {
        assertThat(ChoiceSequence.EMPTY.encode()).isEqualTo("cs1:");
        assertThat(ChoiceSequence.decode("cs1:")).isEqualTo(ChoiceSequence.EMPTY);
    }

    @Test
    void malformedEncodingsAreRejected() {
        assertThatThrownBy(() -> ChoiceSequence.decode("AQID")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cs1:");
        assertThatThrownBy(() -> ChoiceSequence.decode("cs1:gA")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("truncated");
        assertThatThrownBy(() -> ChoiceSequence.decode("cs1:!!")).isInstanceOf(IllegalArgumentException.class);
        assertThat(ChoiceSequence.decode("cs1:____________AQ")).isEqualTo(ChoiceSequence.of(-1L));
        // a tenth byte carrying more than the 64th bit overflows
        assertThatThrownBy(() -> ChoiceSequence.decode("cs1:_____________wE"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shortlexOrdersByLengthThenUnsignedValues() {
        assertThat(ChoiceSequence.of(9, 9).simplerThan(ChoiceSequence.of(0, 0, 0))).isTrue();
        assertThat(ChoiceSequence.of(0, 5).simplerThan(ChoiceSequence.of(1, 0))).isTrue();
        assertThat(ChoiceSequence.of(5).simplerThan(ChoiceSequence.of(-1L))).isTrue(); // -1L is the max unsigned
        assertThat(ChoiceSequence.of(3).simplerThan(ChoiceSequence.of(3))).isFalse();
    }

    @Test
    void editsProduceNewSequences() {
        ChoiceSequence cs = ChoiceSequence.of(1, 2, 3, 4);
        assertThat(cs.delete(1, 3)).isEqualTo(ChoiceSequence.of(1, 4));
        assertThat(cs.zero(0, 2)).isEqualTo(ChoiceSequence.of(0, 0, 3, 4));
        assertThat(cs.with(3, 9)).isEqualTo(ChoiceSequence.of(1, 2, 3, 9));
        assertThat(cs.overwrite(2, new long[] {7, 8})).isEqualTo(ChoiceSequence.of(1, 2, 7, 8));
        assertThat(cs.prefix(2)).isEqualTo(ChoiceSequence.of(1, 2));
        assertThat(cs).isEqualTo(ChoiceSequence.of(List.of(1L, 2L, 3L, 4L)));
        assertThat(cs.toString()).isEqualTo("[1, 2, 3, 4]");
    }

    @Test
    void sourcesRecordSpansOfDrawnSubGenerators() {
        Source s = Source.random(7);
        Gen<List<Integer>> gen = Gen.listOf(Gen.ints(0, 10), 3, 3);
        s.draw(gen);
        ChoiceSequence cs = s.choices();
        assertThat(cs.length()).isEqualTo(3);
        // one outer span for the list, one per element
        assertThat(cs.spans()).hasSize(4);
        assertThat(cs.spans().get(0)).isEqualTo(new ChoiceSequence.Span(0, 3, 0, cs.spans().get(0).label()));
    }
}
