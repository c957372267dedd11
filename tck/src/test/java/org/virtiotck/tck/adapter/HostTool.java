package org.virtiotck.tck.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a host tool (an assembler, objcopy, nm) for a test; skips the test when the tool is not installed. */
public final class HostTool {
    private HostTool() {}

    /**
     * Runs {@code cmd} in {@code dir} and returns its output (stdout and stderr); the test fails unless it exits 0
     * within a minute, and is skipped (with {@code installHint}) when the program cannot be started.
     */
    public static String run(Path dir, String installHint, String... cmd) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "skipped: " + cmd[0] + " is not installed" + installHint);
            throw e;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s: %s", List.of(cmd), out).isZero();
        return out;
    }
}
