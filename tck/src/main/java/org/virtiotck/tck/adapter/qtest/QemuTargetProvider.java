package org.virtiotck.tck.adapter.qtest;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.virtiotck.spec.Blk;
import org.virtiotck.spec.MmioRegister;
import org.virtiotck.tck.spi.MemoryWindow;
import org.virtiotck.tck.spi.SchemeProvider;
import org.virtiotck.tck.spi.Target;
import org.virtiotck.tck.spi.TargetFault;
import org.virtiotck.tck.spi.TargetProvider;
import org.virtiotck.tck.spi.TargetUri;
import org.virtiotck.tck.spi.TargetUriException;

/**
 * {@code qemu:[MACHINE][?options]}: starts QEMU with one virtio-blk-device and drives it over qtest on
 * QEMU's stdio.
 *
 * <p>Machines: {@code aarch64-virt} (default) and {@code x86_64-microvm}. Options:
 * <ul>
 *   <li>{@code legacy=true|false} (default false): false adds {@code -global virtio-mmio.force-legacy=false}
 *       (Version 2), true forces the legacy layout (Version 1, QEMU's own default).</li>
 *   <li>{@code disk=SIZE} (default 64M): size of the temporary sparse raw image (deleted on close);
 *       {@code image=PATH} uses an existing raw image instead (kept).</li>
 *   <li>{@code queues=N}: num-queues; {@code props=a=b,c=d}: more virtio-blk-device properties, passed
 *       through (e.g. {@code discard=on,write-zeroes=on,config-wce=off}).</li>
 *   <li>{@code ram=SIZE} (default 128M), {@code qemu=PATH} (binary), {@code args=...} (extra arguments,
 *       split on spaces; write spaces as {@code +} or {@code %20}), {@code timeout=MS} (default 10000),
 *       {@code irq=[out:]QOMPATH:N} or {@code irq=none} to override interrupt interception.</li>
 * </ul>
 *
 * <p>The vCPUs never run: QEMU starts with {@code -S} (this Debian QEMU has no qtest accelerator, so TCG is
 * used when the qtest accelerator is missing), and everything happens from the main loop through qtest.
 * A QMP socket in the temporary directory serves QOM lookups and {@code block_resize}. A hard reset kills
 * QEMU and starts it again on the same image.
 */
public final class QemuTargetProvider extends SchemeProvider implements TargetProvider {
    static final String DRIVE_ID = "drive0";
    private static final long DEFAULT_TIMEOUT_MS = 10_000;
    private static final Map<String, String[]> BINARY_FACTS = new ConcurrentHashMap<>();

    public QemuTargetProvider() {
        super("qemu",
                "qemu:[aarch64-virt|x86_64-microvm][?legacy=false&disk=64M|image=PATH&queues=N&props=K=V,...&ram=128M"
                + "&qemu=PATH&args=...&timeout=10000&irq=none|[out:]QOMPATH:N] - starts QEMU, drives it over qtest");
    }

    @Override
    public Target open(TargetUri uri) {
        String id = uri.path().isEmpty() ? QemuMachine.AARCH64_VIRT.id : uri.path();
        QemuMachine machine = QemuMachine.byId(id);
        if (machine == null) {
            throw new TargetUriException("unknown QEMU machine '" + id + "' in '" + uri + "' (known: "
                    + QemuMachine.ids() + ")");
        }
        Config c = new Config();
        c.machine = machine;
        c.legacy = uri.bool("legacy", false);
        c.diskBytes = uri.longValue("disk", 64L << 20);
        String image = uri.string("image", null);
        c.queues = uri.intValue("queues", 0);
        c.props = uri.string("props", "");
        c.ramBytes = uri.longValue("ram", 128L << 20);
        c.binary = uri.string("qemu", machine.binary);
        String args = uri.string("args", "").strip();
        c.timeoutMs = uri.longValue("timeout", DEFAULT_TIMEOUT_MS);
        String irq = uri.string("irq", null);
        uri.rejectUnknown();

        if (uri.has("disk") && image != null) {
            throw new TargetUriException("give either disk=SIZE or image=PATH, not both, in '" + uri + "'");
        }
        if (c.diskBytes < 512 || c.diskBytes % 512 != 0) {
            throw new TargetUriException("disk size must be a positive multiple of 512 bytes: " + c.diskBytes);
        }
        if (c.queues < 0 || c.queues > 1024) {
            throw new TargetUriException("queues must be between 1 and 1024: " + c.queues);
        }
        if (c.ramBytes < (16L << 20) || c.ramBytes % (1L << 20) != 0) {
            throw new TargetUriException("ram must be a whole number of MiB, at least 16M: " + c.ramBytes);
        }
        if (c.timeoutMs < 10) {
            throw new TargetUriException("timeout must be at least 10 ms: " + c.timeoutMs);
        }
        if (c.props.contains(" ")) {
            throw new TargetUriException("props must be comma-separated key=value pairs without spaces: " + c.props);
        }
        c.extraArgs = args.isEmpty() ? List.of() : List.of(args.split("\\s+"));
        if (irq != null) {
            if (irq.equals("none")) {
                c.irqDisabled = true;
            } else {
                c.irqOverride = QtestTargetProvider.parseIrq(irq, uri);
            }
        }
        if (image != null) {
            c.image = Path.of(image).toAbsolutePath();
            if (!Files.isRegularFile(c.image)) {
                throw new TargetUriException("image=" + image + " is not a file");
            }
        }
        return new QtestTarget(uri.toString(), new LaunchBackend(c));
    }

    static final class Config {
        QemuMachine machine;
        boolean legacy;
        long diskBytes;
        Path image;
        int queues;
        String props;
        long ramBytes;
        String binary;
        List<String> extraArgs;
        long timeoutMs;
        boolean irqDisabled;
        QemuMachine.IrqRoute irqOverride;
    }

    /** Version and accelerator list of a QEMU binary, asked once per binary. */
    static String[] binaryFacts(String binary) {
        return BINARY_FACTS.computeIfAbsent(binary, b -> {
            String version = "unknown";
            String accel = "tcg";
            String v = run(List.of(b, "--version"));
            Matcher m = Pattern.compile("version (\\d+\\.\\d+(?:\\.\\d+)?)").matcher(v);
            if (m.find()) {
                version = m.group(1);
            }
            String a = run(List.of(b, "-accel", "help"));
            if (a.lines().anyMatch(l -> l.strip().equals("qtest"))) {
                accel = "qtest";
            }
            return new String[] {version, accel};
        });
    }

    private static String run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readNBytes(64 * 1024);
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** Starts (and restarts) QEMU on the same image. */
    static final class LaunchBackend extends QtestTarget.Backend {
        private final Config c;
        private final Path dir;
        private final Path image;
        private final String version;
        private final String accel;
        private int starts;

        LaunchBackend(Config c) {
            this.c = c;
            String[] facts = binaryFacts(c.binary);
            this.version = facts[0];
            this.accel = facts[1];
            try {
                this.dir = Files.createTempDirectory("virtio-qtest");
                // if the JVM exits without close(): files are deleted in reverse order of registration
                dir.toFile().deleteOnExit();
                if (c.image != null) {
                    image = c.image;
                } else {
                    image = dir.resolve("disk.raw");
                    image.toFile().deleteOnExit();
                    try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
                        f.setLength(c.diskBytes);
                    }
                }
            } catch (IOException e) {
                throw new TargetFault(TargetFault.Kind.CRASHED, "cannot create the temporary disk image: " + e, e);
            }
        }

        List<String> command(Path qmpSocket) {
            List<String> cmd = new ArrayList<>();
            cmd.add(c.binary);
            cmd.addAll(List.of("-M", c.machine.machine, "-accel", accel, "-S",
                    "-nodefaults", "-no-user-config", "-display", "none", "-monitor", "none", "-serial", "none",
                    "-m", (c.ramBytes >> 20) + "M",
                    "-qtest", "stdio", "-qtest-log", "/dev/null",
                    "-qmp", "unix:" + qmpSocket + ",server=on,wait=off",
                    "-drive", "if=none,id=" + DRIVE_ID + ",format=raw,file=" + image.toString().replace(",", ",,"),
                    "-global", "virtio-mmio.force-legacy=" + c.legacy));
            StringBuilder dev = new StringBuilder("virtio-blk-device,drive=" + DRIVE_ID);
            if (c.queues > 0) {
                dev.append(",num-queues=").append(c.queues);
            }
            if (!c.props.isEmpty()) {
                dev.append(',').append(c.props);
            }
            cmd.add("-device");
            cmd.add(dev.toString());
            cmd.addAll(c.extraArgs);
            return cmd;
        }

        @Override
        protected QtestTarget.Session start() {
            int n = ++starts;
            Path qmpSocket = dir.resolve("qmp" + n + ".sock");
            Path stderr = dir.resolve("stderr" + n + ".txt");
            qmpSocket.toFile().deleteOnExit();
            stderr.toFile().deleteOnExit();
            List<String> cmd = command(qmpSocket);
            ProcessLink link;
            try {
                link = ProcessLink.start(cmd, stderr);
            } catch (IOException e) {
                throw new TargetFault(TargetFault.Kind.CRASHED, "cannot start " + c.binary + ": " + e.getMessage(), e);
            }
            QtestConnection conn = new QtestConnection(link, c.timeoutMs);
            QmpClient qmp = null;
            try {
                MemoryWindow ram = c.machine.ramWindow(c.ramBytes);
                conn.setPingAddress(ram.base());
                // The first answer proves QEMU finished starting (or a crash report carries its stderr).
                conn.probeBase64(ram.base());
                int slot = -1;
                int transports = 0;
                for (int i = c.machine.slots - 1; i >= 0; i--) {
                    long b = c.machine.mmioBase + (long) i * MmioRegister.WINDOW_SIZE;
                    if (conn.read(b + MmioRegister.MAGIC_VALUE, 4) == MmioRegister.MAGIC) {
                        transports++;
                        if (slot < 0 && conn.read(b + MmioRegister.DEVICE_ID, 4) == Blk.DEVICE_ID) {
                            slot = i;
                        }
                    }
                }
                if (slot < 0) {
                    throw new TargetFault(TargetFault.Kind.PROTOCOL, "no virtio-mmio transport with a block device"
                            + " (DeviceID 2) among " + transports + " transports at 0x"
                            + Long.toHexString(c.machine.mmioBase) + "; command: " + String.join(" ", cmd));
                }
                long base = c.machine.mmioBase + (long) slot * MmioRegister.WINDOW_SIZE;
                try {
                    qmp = QmpClient.connect(qmpSocket, c.timeoutMs);
                } catch (IOException e) {
                    qmp = null; // resize and automatic IRQ lookup unavailable; keep going
                }
                QemuMachine.IrqRoute irq = null;
                if (!c.irqDisabled) {
                    irq = c.irqOverride;
                    if (irq == null && qmp != null) {
                        try {
                            irq = c.machine.irqRoute(qmp, slot, transports);
                        } catch (IOException e) {
                            irq = null;
                        }
                    }
                    if (irq != null) {
                        conn.interceptIrq(irq.path(), irq.out());
                    }
                }
                Map<String, String> details = new LinkedHashMap<>();
                details.put("command", String.join(" ", cmd));
                details.put("image", image.toString());
                details.put("slot", slot + " of " + transports + " transports");
                details.put("ram", ram.toString());
                return new QtestTarget.Session(conn, base, ram, irq, qmp, details);
            } catch (RuntimeException e) {
                if (qmp != null) {
                    qmp.close();
                }
                conn.close();
                throw e;
            }
        }

        @Override
        protected boolean restartsOnReset() {
            return true;
        }

        @Override
        protected String name(QtestTarget.Session s) {
            return "QEMU " + version + " " + c.machine.label + (c.legacy ? " (legacy)" : " (modern)");
        }

        @Override
        protected String version() {
            return version;
        }

        @Override
        protected Path image() {
            return image;
        }

        @Override
        protected void cleanup() {
            TempDirs.deleteTree(dir);
        }
    }
}
