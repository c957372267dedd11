package org.virtiotck.tck.target.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds {@code agent:} URIs that run the guest agent in QEMU with one virtio-blk-device (modern transport), the
 * same machine configurations the {@code qemu:} scheme drives through qtest: {@code aarch64-virt} and
 * {@code x86_64-microvm}. The serial port listens on a Unix socket in {@code dir} (a chardev socket is QEMU's
 * fastest serial path); the kit launches QEMU itself, so a crash is followed by a restart. Used by the
 * benchmark and the tests; the shell examples in examples/agent build the same command lines.
 */
final class AgentQemu {
    private AgentQemu() {}

    /** Where the agent module's build puts the images, relative to the repository root. */
    static Path image(Path repoRoot, String arch) {
        return repoRoot.resolve("agent/target").resolve(arch.equals("aarch64") ? "agent-aarch64.img" : "agent-x86_64.elf");
    }

    /** The QEMU command line: agent kernel, serial on dir/serial.sock, the disk as a modern virtio-blk-device. */
    static List<String> command(String arch, Path agent, Path disk, Path dir, String accel) {
        List<String> cmd = new ArrayList<>();
        Path sock = dir.resolve("serial.sock");
        if (arch.equals("aarch64")) {
            cmd.addAll(List.of("qemu-system-aarch64", "-M", "virt", "-cpu", "cortex-a57"));
        } else {
            // microvm as the qemu: scheme starts it, with its ISA serial port; the kernel command line tells the
            // agent where the device is (QEMU puts the first -device in the highest of its 24 transports)
            cmd.addAll(List.of("qemu-system-x86_64", "-M", "microvm,isa-serial=on",
                    "-append", "virtio_mmio.device=512@0xfeb02e00:47"));
        }
        cmd.addAll(List.of("-accel", accel, "-m", "256M", "-nodefaults", "-no-user-config", "-display", "none",
                "-monitor", "none",
                "-chardev", "socket,id=ser,path=" + sock + ",server=on,wait=off", "-serial", "chardev:ser",
                "-kernel", agent.toString(),
                "-drive", "if=none,id=drive0,format=raw,file=" + disk,
                "-global", "virtio-mmio.force-legacy=false", "-device", "virtio-blk-device,drive=drive0"));
        return cmd;
    }

    /** An agent: URI that launches {@link #command} and certifies its device (image= lets the kit read the disk). */
    static String uri(String arch, Path agent, Path disk, Path dir, String accel, String extraOptions) {
        List<String> cmd = command(arch, agent, disk, dir, accel);
        return "agent:unix:" + dir.resolve("serial.sock") + "?arch=" + arch + "&image=" + disk
                + "&launch=" + String.join("+", cmd) + (extraOptions.isEmpty() ? "" : "&" + extraOptions);
    }

    /** A sparse raw disk of {@code bytes} in dir. */
    static Path disk(Path dir, long bytes) throws IOException {
        Path disk = dir.resolve("disk.raw");
        try (var f = new java.io.RandomAccessFile(disk.toFile(), "rw")) {
            f.setLength(bytes);
        }
        return disk;
    }

    /** Whether the binary for arch is on the PATH. */
    static boolean qemuAvailable(String arch) {
        String bin = arch.equals("aarch64") ? "qemu-system-aarch64" : "qemu-system-x86_64";
        for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, bin))) {
                return true;
            }
        }
        return false;
    }
}
