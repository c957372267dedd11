package org.virtiotck.reports.html;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.virtiotck.reports.SampleReports;

/**
 * Opens the HTML report in a real headless Chromium: it must render to a non-trivial screenshot and its DOM must
 * hold the failing requirement ids. Skipped (with the reason) where {@code /usr/bin/chromium} is not installed.
 * Screenshots are kept under {@code target/browser-check/} for a human to look at.
 */
@Tag("browser")
class HtmlReportBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final long TIMEOUT_SECONDS = 90;

    @BeforeAll
    static void needsChromium() {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM),
                "browser check skipped: /usr/bin/chromium is not installed (apt-get install -y chromium)");
    }

    private record Run(int exit, String stdout, String stderr) {
    }

    private static Run chromium(Path work, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--hide-scrollbars",
                "--user-data-dir=" + work.resolve("profile")));
        command.addAll(List.of(args));
        Path out = work.resolve("chromium.out");
        Path err = work.resolve("chromium.err");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("chromium did not finish within " + TIMEOUT_SECONDS + " s: " + command);
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void failingReportRendersInAHeadlessBrowser(@TempDir Path work) throws Exception {
        Path html = work.resolve("report.html");
        HtmlReport.write(html, SampleReports.failing(), SampleReports.REGISTRY, Optional.of(SampleReports.fuzz()));
        String url = html.toUri().toString();

        Path png = work.resolve("report.png");
        Run shot = chromium(work, "--screenshot=" + png, "--window-size=1280,2000", url);
        assertThat(png).as("screenshot; chromium said: %s", shot.stderr()).exists();
        byte[] bytes = Files.readAllBytes(png);
        assertThat(bytes.length).as("a rendered page, not a blank one").isGreaterThan(50_000);
        assertThat(bytes).startsWith(0x89, 'P', 'N', 'G');
        keep(png, "failing-report.png");

        Run dom = chromium(work, "--dump-dom", "--window-size=1280,2000", url);
        assertThat(dom.exit()).as(dom.stderr()).isZero();
        assertThat(dom.stdout()).contains("NOT CERTIFIED")
                .contains("<code>mmio.dev.2</code>", "<code>split.dev.1</code>", "<code>features.dev.2</code>")
                .contains("Executions per second")
                .contains("&lt;script&gt;alert('x')&lt;/script&gt;")
                .doesNotContain("<script>alert");
        assertThat(dom.stdout().split("<svg class=\"chart", -1)).hasSize(4);
    }

    @Test
    void passingReportRendersInAHeadlessBrowser(@TempDir Path work) throws Exception {
        Path html = work.resolve("report.html");
        HtmlReport.write(html, SampleReports.passing(), SampleReports.REGISTRY, Optional.empty());
        Path png = work.resolve("report.png");
        Run shot = chromium(work, "--screenshot=" + png, "--window-size=1280,2000", html.toUri().toString());
        assertThat(png).as("screenshot; chromium said: %s", shot.stderr()).exists();
        assertThat(Files.size(png)).isGreaterThan(50_000);
        keep(png, "passing-report.png");
    }

    /** Copies a screenshot to target/browser-check/ so a person can look at it after the build. */
    private static void keep(Path png, String name) throws IOException {
        Path dir = Path.of("target", "browser-check");
        Files.createDirectories(dir);
        Files.copy(png, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }
}
