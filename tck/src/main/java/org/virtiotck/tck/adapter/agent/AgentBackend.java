package org.virtiotck.tck.adapter.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.virtiotck.memory.GuestMemory;
import org.virtiotck.tck.spi.MemoryWindow;
import org.virtiotck.tck.spi.TargetFault;
import org.virtiotck.tck.adapter.qtest.LaunchedSocketLink;
import org.virtiotck.tck.adapter.qtest.ProcessLink;
import org.virtiotck.tck.adapter.qtest.QmpClient;
import org.virtiotck.tck.adapter.qtest.QtestConnection;
import org.virtiotck.tck.adapter.qtest.QtestLink;
import org.virtiotck.tck.adapter.qtest.QtestTarget;
import org.virtiotck.tck.adapter.qtest.QtestTargetProvider.Endpoint;
import org.virtiotck.tck.adapter.qtest.SocketLink;
import org.virtiotck.tck.adapter.qtest.TempDirs;

/**
 * Reaches the guest agent (running the VMM first when the URI names a command), greets it, and hands the link to
 * a {@link QtestConnection}: from then on the agent is driven exactly like a qtest server. A hard reset after a
 * fault re-runs the command (or reconnects); otherwise it is a device reset (Status = 0) in the running VMM.
 */
final class AgentBackend extends QtestTarget.Backend {

    /** What the URI asked for. */
    record Config(Endpoint endpoint, List<String> launch, String arch, Long base, MemoryWindow ram, Path image,
                  RamFile ramFile, Path qmp, long timeoutMillis, long bootMillis) {
    }

    private final Config c;
    private Path dir;
    private int starts;
    private AgentHello hello;
    private volatile RamFile.Mapped mapped;

    AgentBackend(Config c) {
        this.c = c;
    }

    @Override
    protected QtestTarget.Session start() {
        unmap();
        if (c.image() != null && c.launch() == null && c.endpoint().command() == null
                && !Files.isRegularFile(c.image())) {
            throw new TargetFault(TargetFault.Kind.CRASHED, "image=" + c.image() + " is not a file");
        }
        QtestLink link = open();
        QtestConnection conn = null;
        QmpClient qmpClient = null;
        try {
            String line = AgentHandshake.run(link, c.bootMillis());
            AgentHello h;
            try {
                h = AgentHello.parse(line);
            } catch (IllegalArgumentException e) {
                throw new TargetFault(TargetFault.Kind.PROTOCOL, e.getMessage());
            }
            if (c.arch() != null && !c.arch().equals(h.arch())) {
                throw new TargetFault(TargetFault.Kind.PROTOCOL, "the agent on " + link.describe() + " runs on "
                        + h.arch() + ", the URI says arch=" + c.arch());
            }
            long base = base(h);
            MemoryWindow ram = ram(h);
            if (c.image() != null && !Files.isRegularFile(c.image())) {
                throw new TargetFault(TargetFault.Kind.PROTOCOL, "image=" + c.image() + " is not a file");
            }
            if (c.ramFile() != null) {
                mapped = c.ramFile().map(ram);
            }
            conn = new QtestConnection(link, c.timeoutMillis());
            conn.expectTransport(ram.base(), base, " through the agent");
            if (c.qmp() != null) {
                try {
                    qmpClient = QmpClient.connect(c.qmp(), c.timeoutMillis());
                } catch (IOException e) {
                    throw new TargetFault(TargetFault.Kind.CRASHED, "cannot use the QMP socket " + c.qmp() + ": "
                            + e.getMessage(), e);
                }
            }
            hello = h;
            Map<String, String> details = new LinkedHashMap<>();
            details.put("endpoint", c.endpoint().text());
            if (c.launch() != null) {
                details.put("launch", String.join(" ", c.launch()));
            }
            details.put("agent", line.substring(3));
            details.put("ram", ram.toString());
            details.put("register path", "one load/store of the requested width by the guest vCPU ("
                    + h.arch() + ")");
            if (c.image() != null) {
                details.put("image", c.image().toString());
            }
            if (c.ramFile() != null) {
                details.put("ram file", c.ramFile().path() + " at guest 0x" + Long.toHexString(c.ramFile().gpa()));
            }
            if (c.qmp() != null) {
                details.put("qmp", c.qmp() + " (disk resize with block_resize on drive0)");
            }
            return QtestTarget.Session.polled(conn, base, ram, qmpClient, details);
        } catch (RuntimeException e) {
            unmap();
            if (qmpClient != null) {
                qmpClient.close();
            }
            if (conn != null) {
                conn.close();
            } else {
                link.close();
            }
            throw e;
        }
    }

    private QtestLink open() {
        Endpoint ep = c.endpoint();
        int n = ++starts;
        try {
            if (ep.command() != null || c.launch() != null) {
                if (dir == null) {
                    dir = Files.createTempDirectory("virtio-agent");
                }
                Path stderr = dir.resolve("stderr" + n + ".txt");
                if (ep.command() != null) {
                    return ProcessLink.start(ep.command(), stderr);
                }
                return LaunchedSocketLink.start(c.launch(), stderr, ep.address(), c.bootMillis());
            }
            return SocketLink.connect(ep.address());
        } catch (IOException e) {
            throw new TargetFault(TargetFault.Kind.CRASHED, "cannot reach the agent at " + ep.text() + ": " + e, e);
        }
    }

    private long base(AgentHello h) {
        if (c.base() != null) {
            return c.base();
        }
        List<AgentHello.Device> blocks = h.devices().stream().filter(d -> d.deviceId() == 2).toList();
        if (blocks.size() == 1) {
            return blocks.getFirst().base();
        }
        throw new TargetFault(TargetFault.Kind.PROTOCOL, (blocks.isEmpty() ? "the agent found no virtio-blk transport"
                : "the agent found " + blocks.size() + " virtio-blk transports") + " (devices: "
                + (h.devices().isEmpty() ? "none" : h.devices()) + "); pass base=ADDRESS, or tell the agent with "
                + "virtio_mmio.device=SIZE@ADDRESS on the kernel command line");
    }

    private MemoryWindow ram(AgentHello h) {
        MemoryWindow free = h.freeRam();
        MemoryWindow want = c.ram();
        if (want == null) {
            if (free == null) {
                throw new TargetFault(TargetFault.Kind.PROTOCOL, "the agent does not know the guest RAM (no DTB or"
                        + " memory map); pass ram=ADDRESS+SIZE outside its image " + h.image());
            }
            return free;
        }
        if (want.base() < h.image().end() && h.image().base() < want.end()) {
            throw new TargetFault(TargetFault.Kind.PROTOCOL, "ram=" + want + " overlaps the agent's own image "
                    + h.image());
        }
        if (free != null && !free.contains(want.base(), want.size())) {
            throw new TargetFault(TargetFault.Kind.PROTOCOL, "ram=" + want + " is not inside the RAM the agent "
                    + "leaves free, " + free);
        }
        return want;
    }

    @Override
    protected boolean restartsOnReset() {
        return false;
    }

    /** The kit can bring the VMM back only when it knows how to launch it. */
    @Override
    protected boolean restartable() {
        return c.endpoint().command() != null || c.launch() != null;
    }

    @Override
    protected String hardResetText() {
        return "device reset only (Status = 0) in the running VMM; after a crash or hang the VMM is "
                + (c.endpoint().command() != null || c.launch() != null ? "started again" : "reconnected");
    }

    @Override
    protected String name(QtestTarget.Session s) {
        AgentHello h = hello;
        String where = c.endpoint().command() != null ? c.endpoint().command().getFirst()
                : c.launch() != null ? c.launch().getFirst() : c.endpoint().text();
        return "virtio-mmio device at 0x" + Long.toHexString(s.base()) + " via " + AgentHello.NAME + " "
                + (h == null ? "?" : h.version() + " (" + h.arch() + ")") + " in " + Path.of(where).getFileName();
    }

    @Override
    protected String version() {
        return "unknown";
    }

    @Override
    protected Path image() {
        return c.image();
    }

    @Override
    protected GuestMemory directRam() {
        RamFile.Mapped m = mapped;
        return m == null ? null : m.memory();
    }

    private void unmap() {
        RamFile.Mapped m = mapped;
        mapped = null;
        if (m != null) {
            m.close();
        }
    }

    @Override
    protected void cleanup() {
        unmap();
        TempDirs.deleteTree(dir);
    }
}
