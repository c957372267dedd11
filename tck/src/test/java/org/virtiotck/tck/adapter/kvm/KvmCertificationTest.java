package org.virtiotck.tck.adapter.kvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.virtiotck.reports.json.RunReport;
import org.virtiotck.reports.result.Verdict;
import org.virtiotck.tck.adapter.nativelib.ExampleDevice;
import org.virtiotck.tck.testkit.SuiteRunner;

/**
 * The whole TCK through the KVM adapter: the reference device behind a vCPU must get exactly the verdicts it gets
 * in-process (every test, modern and legacy), and the example C device must pass behind a vCPU too.
 */
class KvmCertificationTest {

    @BeforeAll
    static void needKvm() {
        String why = KvmMachine.unavailableReason();
        assumeTrue(why == null, () -> "skipped: " + why);
    }

    private static void sameVerdictsAsInProcess(String kvmUri, String inProcessUri) throws IOException {
        RunReport kvm = SuiteRunner.certify(kvmUri);
        RunReport direct = SuiteRunner.certify(inProcessUri);
        System.out.println(kvmUri + ": " + SuiteRunner.counts(kvm) + "   " + inProcessUri + ": " + SuiteRunner.counts(direct));
        assertThat(SuiteRunner.problems(kvm)).as("non-passing tests through %s", kvmUri).isEmpty();
        Map<String, Verdict> a = SuiteRunner.verdicts(kvm);
        Map<String, Verdict> b = SuiteRunner.verdicts(direct);
        assertThat(a).as("verdicts through %s against %s", kvmUri, inProcessUri).isEqualTo(b);
        assertThat(SuiteRunner.counts(kvm).getOrDefault(Verdict.PASS, 0L)).isGreaterThan(50);
    }

    @Test
    void kvmReferenceModern() throws IOException {
        sameVerdictsAsInProcess("kvm:reference", "reference");
    }

    @Test
    void kvmReferenceLegacy() throws IOException {
        sameVerdictsAsInProcess("kvm:reference:legacy", "reference:legacy");
    }

    @Test
    void kvmNativeExampleDevice() throws IOException {
        Path lib = ExampleDevice.library();
        sameVerdictsAsInProcess("kvm:native:" + lib, "native:" + lib);
    }
}
