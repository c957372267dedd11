package org.virtiotck.tck.target.agent;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Finds the repository, the agent images (building them when missing) and QEMU; skips with the reason when absent. */
final class AgentTestSupport {
    private AgentTestSupport() {}

    static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isRegularFile(p.resolve("agent/Makefile"))) {
            p = p.getParent();
        }
        assumeTrue(p != null, "not inside the virtio-tck repository (no agent/Makefile above " + Path.of("").toAbsolutePath() + ")");
        return p;
    }

    /** Skips unless QEMU for arch is installed and the agent image exists or can be built here. */
    static Path requireAgent(String arch) throws IOException, InterruptedException {
        assumeTrue(AgentQemu.qemuAvailable(arch), (arch.equals("aarch64") ? "qemu-system-aarch64" : "qemu-system-x86_64")
                + " is not installed");
        Path root = root();
        Path image = AgentQemu.image(root, arch);
        if (!Files.isRegularFile(image)) {
            String cc = arch.equals("aarch64") ? "aarch64-linux-gnu-gcc" : "gcc";
            assumeTrue(onPath(cc), "the agent image " + image + " is not built and " + cc + " is not installed"
                    + " (Debian: gcc-aarch64-linux-gnu)");
            Process p = new ProcessBuilder("make", "-s", "-C", root.resolve("agent").toString(), "OUT=target", arch)
                    .inheritIO().start();
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("building the agent image for " + arch + " failed");
            }
        }
        return image;
    }

    static boolean onPath(String program) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, program))) {
                return true;
            }
        }
        return false;
    }

    /** The command that launches QEMU with the agent, for tests that handle the link themselves. */
    static List<String> launch(String arch, Path dir, String memory) {
        return List.of(root().resolve("examples/agent/qemu-launch.sh").toString(), arch, dir.toString(), "tcg", memory);
    }
}
