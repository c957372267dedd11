package org.virtiotck.tck.adapter.nativelib;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Builds the example C device (tck/src/test/c/example_blk.c) into a shared library once per JVM, with gcc. Tests
 * that need it call {@link #library()}, which skips the test with the reason when gcc is missing or fails.
 */
public final class ExampleDevice {
    private static Path library;
    private static String unavailable;

    private ExampleDevice() {}

    /** The tck module directory (surefire runs with it as the working directory and sets basedir). */
    public static Path moduleDir() {
        Path base = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
        if (Files.isDirectory(base.resolve("src/test/c"))) {
            return base;
        }
        Path tck = base.resolve("tck");
        return Files.isDirectory(tck.resolve("src/test/c")) ? tck : base;
    }

    public static Path source() {
        return moduleDir().resolve("src/test/c/example_blk.c");
    }

    public static Path headerDir() {
        return moduleDir().resolve("src/main/c");
    }

    /** The built library, or a skipped test (with the reason) when it cannot be built here. */
    public static synchronized Path library() {
        if (library == null && unavailable == null) {
            build();
        }
        assumeTrue(unavailable == null, () -> "skipped: example device not built: " + unavailable);
        return library;
    }

    /** The library, or null (the benchmark uses this without JUnit). */
    public static synchronized Path libraryOrNull() {
        if (library == null && unavailable == null) {
            build();
        }
        return library;
    }

    private static void build() {
        try {
            Path dir = Files.createTempDirectory("virtio-tck-example-");
            dir.toFile().deleteOnExit();
            Path out = dir.resolve("libexample_blk.so");
            String gcc = System.getenv().getOrDefault("CC", "gcc");
            List<String> cmd = List.of(gcc, "-O2", "-Wall", "-shared", "-fPIC", "-I", headerDir().toString(), "-o",
                    out.toString(), source().toString());
            Process p;
            try {
                p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            } catch (IOException e) {
                unavailable = gcc + " is not installed (" + e.getMessage() + ")";
                return;
            }
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                unavailable = gcc + " did not finish within 120 s";
                return;
            }
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.exitValue() != 0 || !Files.isRegularFile(out)) {
                unavailable = String.join(" ", cmd) + " failed:\n" + output;
                return;
            }
            out.toFile().deleteOnExit();
            library = out;
        } catch (IOException e) {
            unavailable = "cannot build: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            unavailable = "interrupted while building";
        }
    }
}
