package org.virtiotck.tck.target.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * examples/agent/qemu-aarch64.sh and qemu-x86_64.sh, shortened to one suite: they boot the agent in QEMU, certify
 * the device through it with the QEMU 7.2 waivers, write the reports, and exit with certify's code. The kit's CLI
 * runs from this build's classes (VIRTIO_TCK), not from a jar the test phase has not built yet.
 */
class AgentExamplesTest {

    @TempDir
    Path out;

    @ParameterizedTest
    @ValueSource(strings = {"aarch64", "x86_64"})
    void theExampleCertifiesQemuThroughTheAgent(String arch) throws Exception {
        AgentTestSupport.requireAgent(arch);
        Path root = AgentTestSupport.root();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(root.resolve("examples/agent/qemu-" + arch + ".sh").toString(),
                out.toString(), "--test", "org.virtiotck.tck.suites.IdentificationSuite");
        pb.environment().put("VIRTIO_TCK", java + " --enable-native-access=ALL-UNNAMED -cp " + cp
                + " org.virtiotck.tck.cli.Main");
        pb.redirectErrorStream(true);
        Path log = out.resolve("example.log");
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        boolean done = p.waitFor(240, TimeUnit.SECONDS);
        if (!done) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        String text = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(done).as("example finished in time:\n" + text).isTrue();
        assertThat(p.exitValue()).as("exit code of the example:\n" + text).isZero();
        assertThat(text).contains("CERTIFIED");
        JsonNode report = new ObjectMapper().readTree(out.resolve("run-report.json").toFile());
        assertThat(report.path("target").path("uri").asText()).startsWith("agent:unix:").contains("arch=" + arch);
        assertThat(report.path("verdictCounts").path("PASS").asInt()).isPositive();
        assertThat(report.path("verdictCounts").path("FAIL").asInt()).isZero();
    }
}
