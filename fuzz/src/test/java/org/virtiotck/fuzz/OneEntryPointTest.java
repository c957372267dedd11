package org.virtiotck.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.virtiotck.tck.cli.Main;

/** {@code virtio-tck fuzz ...} and {@code virtio-tck certify ...} are answered by the same entry point. */
class OneEntryPointTest {

    private record Run(int code, String out, String err) {}

    private static Run main(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void fuzzAndCertifyHelpComeFromTheOneMain() {
        Run top = main("--help");
        assertThat(top.code()).isZero();
        assertThat(top.out()).contains("certify").contains("fuzz").contains("serve");

        Run fuzz = main("fuzz", "--help");
        assertThat(fuzz.code()).isZero();
        assertThat(fuzz.out()).contains("virtio-tck fuzz").contains("run").contains("replay").contains("merge");

        Run fuzzRun = main("fuzz", "run", "--help");
        assertThat(fuzzRun.code()).isZero();
        assertThat(fuzzRun.out()).contains("virtio-tck fuzz run").contains("--target");

        Run certify = main("certify", "--help");
        assertThat(certify.code()).isZero();
        assertThat(certify.out()).contains("virtio-tck certify").contains("--target");
    }

    @Test
    void aFuzzUsageErrorIsOneLineAndExitTwo() {
        Run bad = main("fuzz", "run", "--target", "reference", "--shard", "9/2", "--execs", "1");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err().strip().lines()).hasSize(1);
        assertThat(bad.err()).startsWith("virtio-tck: ");
        Run missing = main("fuzz", "run");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("virtio-tck fuzz run --help");
    }
}
