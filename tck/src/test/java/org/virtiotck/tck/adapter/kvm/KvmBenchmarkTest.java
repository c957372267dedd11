package org.virtiotck.tck.adapter.kvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

class KvmBenchmarkTest {

    @Test
    void aShortRunMeasuresBothPathsOnTheSameDevice() {
        String why = KvmMachine.unavailableReason();
        assumeTrue(why == null, () -> "skipped: " + why);
        KvmBenchmark.Result r = KvmBenchmark.run("reference", 0.2);
        System.out.println(r);
        assertThat(r.trapped()).isPositive();
        assertThat(r.mmioExits()).as("one MMIO exit per trapped access").isEqualTo(r.trapped());
        assertThat(r.kvmRuns()).as("an MMIO exit and a done-port exit per access").isGreaterThanOrEqualTo(2 * r.trapped());
        assertThat(r.directPerSecond()).isGreaterThan(r.trappedPerSecond());
    }
}
