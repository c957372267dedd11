package org.virtiotck.tck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProgressListenerTest {

    @Test
    void theLineSaysDoneOfTotalSuiteFailuresElapsedAndTimeLeft() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressListener p = new ProgressListener(new PrintStream(bytes, true, StandardCharsets.UTF_8), false,
                Duration.ofSeconds(1));
        String empty = p.line(0);
        assertThat(empty).startsWith("0/0 tests").doesNotContain("left");
    }

    @Test
    void certifyPrintsPlainProgressLinesWhenStdoutIsNotATerminal() throws Exception {
        PrintStream saved = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setProperty("virtio.progress.seconds", "1");
        try (PrintStream capture = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            Main.run("certify", "--target", "reference", "--test", "IdentificationSuite", "--out",
                    java.nio.file.Files.createTempDirectory("progress").toString());
        } finally {
            System.setOut(saved);
            System.clearProperty("virtio.progress.seconds");
            System.clearProperty("virtio.target");
            System.clearProperty("virtio.reports.dir");
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertThat(text).doesNotContain("\r").containsPattern("certify: \\d+/\\d+ tests \u00b7 IdentificationSuite "
                + "\u00b7 0 failed, 0 blocked \u00b7 0:\\d\\d elapsed");
    }
}
