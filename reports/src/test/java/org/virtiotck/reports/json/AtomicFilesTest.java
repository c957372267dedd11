package org.virtiotck.reports.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @Test
    void createsAndReplacesWithoutLeavingTemporaries(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("sub/report.json");
        AtomicFiles.write(file, "first".getBytes(StandardCharsets.UTF_8));
        assertThat(file).hasContent("first");
        AtomicFiles.write(file, "second, longer".getBytes(StandardCharsets.UTF_8));
        assertThat(file).hasContent("second, longer");
        AtomicFiles.write(file, "3".getBytes(StandardCharsets.UTF_8));
        assertThat(file).hasContent("3");
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void aFailedReplaceKeepsTheOldFileAndCleansUp(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("report.json");
        Files.createDirectory(target);
        Files.writeString(target.resolve("keep"), "x");
        assertThatThrownBy(() -> AtomicFiles.write(target, "new".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class);
        assertThat(target.resolve("keep")).hasContent("x");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(target);
        }
    }

    @Test
    void concurrentReadersNeverSeeATornFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("r.txt");
        String a = "a".repeat(200_000);
        String b = "b".repeat(100_000);
        AtomicFiles.write(file, a.getBytes(StandardCharsets.UTF_8));
        var writer = Thread.ofPlatform().start(() -> {
            try {
                for (int i = 0; i < 50; i++) {
                    AtomicFiles.write(file, (i % 2 == 0 ? b : a).getBytes(StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        while (writer.isAlive()) {
            String seen = Files.readString(file);
            assertThat(seen.equals(a) || seen.equals(b)).as("length %d", seen.length()).isTrue();
        }
        writer.join();
    }
}
