package org.virtiotck.tck.target.agent;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code agent:} URIs for the guest agent in QEMU, launched by {@code examples/agent/qemu-launch.sh} (the one place
 * that knows the QEMU command lines: arm virt or x86 microvm, one modern virtio-blk-device, serial on a Unix
 * socket, optionally guest RAM in a shared file). Used by the benchmark and the tests; the shell examples build
 * the same URIs.
 */
final class AgentQemu {
    private AgentQemu() {}

    /** Where the agent module's build puts the image for arch, under the repository root. */
    static Path image(Path repoRoot, String arch) {
        return repoRoot.resolve("agent/target").resolve(arch.equals("aarch64") ? "agent-aarch64.img" : "agent-x86_64.elf");
    }

    /** The guest-physical address of the first byte of guest RAM (and of the RAM file). */
    static long ramBase(String arch) {
        return arch.equals("aarch64") ? 0x4000_0000L : 0;
    }

    /**
     * A URI that runs qemu-launch.sh ARCH DIR ACCEL MEMORY (MEMORY "ramfile" or "serial") and certifies its
     * device; {@code extra} is appended as more options (may be empty).
     */
    static String uri(Path repoRoot, String arch, Path dir, String accel, String memory, String extra) {
        Path script = repoRoot.resolve("examples/agent/qemu-launch.sh");
        StringBuilder b = new StringBuilder("agent:unix:").append(dir.resolve("serial.sock"))
                .append("?arch=").append(arch)
                .append("&image=").append(dir.resolve("disk.raw"))
                .append("&qmp=").append(dir.resolve("qmp.sock"))
                .append("&launch=").append(script).append('+').append(arch).append('+').append(dir)
                .append('+').append(accel).append('+').append(memory);
        if (memory.equals("ramfile")) {
            b.append("&ram-file=").append(dir.resolve("ram")).append("@0x").append(Long.toHexString(ramBase(arch)));
        }
        if (!extra.isEmpty()) {
            b.append('&').append(extra);
        }
        return b.toString();
    }

    /** Whether the QEMU binary for arch is on the PATH. */
    static boolean qemuAvailable(String arch) {
        String bin = arch.equals("aarch64") ? "qemu-system-aarch64" : "qemu-system-x86_64";
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, bin))) {
                return true;
            }
        }
        return false;
    }
}
