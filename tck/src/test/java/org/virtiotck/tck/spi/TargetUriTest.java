package org.virtiotck.tck.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TargetUriTest {

    @Test
    void parsesSchemePathAndOptions() {
        TargetUri uri = TargetUri.parse("reference:legacy?queues=4&disk=1m&ro");
        assertThat(uri.scheme()).isEqualTo("reference");
        assertThat(uri.path()).isEqualTo("legacy");
        assertThat(uri.intValue("queues", 1)).isEqualTo(4);
        assertThat(uri.longValue("disk", 0)).isEqualTo(1 << 20);
        assertThat(uri.bool("ro", false)).isTrue();
        uri.rejectUnknown();
    }

    @Test
    void bareSchemeHasNoPathAndNoOptions() {
        TargetUri uri = TargetUri.parse("reference");
        assertThat(uri.path()).isEmpty();
        assertThat(uri.options()).isEmpty();
    }

    @Test
    void hexNumbersAndPercentEncodingAreUnderstood() {
        TargetUri uri = TargetUri.parse("qtest:unix:/tmp/a?base=0x0a003e00&args=-m%20256");
        assertThat(uri.path()).isEqualTo("unix:/tmp/a");
        assertThat(uri.longValue("base", 0)).isEqualTo(0x0a003e00L);
        assertThat(uri.string("args", "")).isEqualTo("-m 256");
    }

    @Test
    void unknownOptionsAreRejectedWithTheKnownOnesNamed() {
        TargetUri uri = TargetUri.parse("reference:?queus=4");
        uri.declare("queues");
        assertThatThrownBy(uri::rejectUnknown).isInstanceOf(TargetUriException.class)
                .hasMessageContaining("unknown option 'queus'").hasMessageContaining("queues");
    }

    @Test
    void malformedUrisAreRejectedWithOneLineMessages() {
        assertThatThrownBy(() -> TargetUri.parse("")).isInstanceOf(TargetUriException.class);
        assertThatThrownBy(() -> TargetUri.parse("Ref!:x")).isInstanceOf(TargetUriException.class)
                .hasMessageContaining("scheme");
        assertThatThrownBy(() -> TargetUri.parse("reference:?a=1&a=2")).hasMessageContaining("given twice");
        assertThatThrownBy(() -> TargetUri.parse("reference:?queues=x").intValue("queues", 1))
                .hasMessageContaining("wants a number");
        assertThatThrownBy(() -> TargetUri.parse("reference:?ro=maybe").bool("ro", false))
                .hasMessageContaining("true or false");
    }

    @Test
    void unknownSchemesNameTheKnownOnes() {
        assertThatThrownBy(() -> Targets.open("nosuch:thing")).isInstanceOf(TargetUriException.class)
                .hasMessageContaining("unknown target scheme 'nosuch'").hasMessageContaining("reference");
    }
}
