package org.virtiotck.tck.adapter.nativelib;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.virtiotck.reports.json.RunReport;
import org.virtiotck.reports.result.Verdict;
import org.virtiotck.tck.testkit.SuiteRunner;

/** The whole TCK through the native adapter, with the example C device. */
class NativeCertificationTest {

    @Test
    void theExampleDevicePassesEverySuiteInProcess() throws IOException {
        Path lib = ExampleDevice.library();
        RunReport r = SuiteRunner.certify("native:" + lib);
        System.out.println("native:<example_blk.so>: " + SuiteRunner.counts(r));
        assertThat(SuiteRunner.problems(r)).as("non-passing tests of native:%s", lib).isEmpty();
        assertThat(SuiteRunner.counts(r).getOrDefault(Verdict.PASS, 0L)).isGreaterThan(50);
    }
}
