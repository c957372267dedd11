package org.virtiotck.tck.adapter.agent;

import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.List;

import org.virtiotck.tck.spi.MemoryWindow;
import org.virtiotck.tck.spi.SchemeProvider;
import org.virtiotck.tck.spi.Target;
import org.virtiotck.tck.spi.TargetProvider;
import org.virtiotck.tck.spi.TargetUri;
import org.virtiotck.tck.spi.TargetUriException;
import org.virtiotck.tck.adapter.qtest.QtestTarget;
import org.virtiotck.tck.adapter.qtest.QtestTargetProvider;

/**
 * {@code agent:ENDPOINT[?base=ADDR][&ram=ADDR+SIZE][&arch=aarch64|x86_64][&launch=COMMAND][&image=PATH][&ram-file=PATH@GPA][&qmp=PATH]
 * [&timeout=MS][&boot=MS]}: a device inside a real VMM, reached through the guest agent (agent/ in this repository)
 * running in that VMM's guest and talking on its serial port. Every register access is one load or store of the
 * requested width by the guest vCPU, so it goes through the VMM's own exit decoding and MMIO dispatch.
 *
 * <p>Endpoints (the serial port): {@code exec:COMMAND} - run the VMM with the serial port on its stdin/stdout
 * (e.g. QEMU {@code -serial stdio}); {@code unix:/PATH} - a Unix socket the VMM's serial port listens on (with
 * {@code launch=COMMAND} the kit starts the VMM itself, then connects); {@code tcp:127.0.0.1:PORT}.
 *
 * <p>{@code base} defaults to the one virtio-blk transport the agent reports in its hello (found in the DTB or
 * named by {@code virtio_mmio.device=} on the kernel command line); {@code ram} defaults to the RAM the agent
 * leaves free. {@code ram-file=PATH@GPA} names a file the VMM maps as guest RAM (QEMU
 * {@code memory-backend-file,share=on}): the kit then reads and writes guest memory through that file instead of
 * the serial port, which is hundreds of times faster; register accesses still go through the agent.
 * {@code qmp=PATH}: the VMM's QMP socket (QEMU), for the disk resize the capacity-change tests need
 * ({@code block_resize} on the drive with id {@code drive0}). A hard reset
 * is a device reset in the running VMM; after a crash or hang the command is run again
 * (or the socket reconnected), like {@code qtest:exec:}.
 */
public final class AgentTargetProvider extends SchemeProvider implements TargetProvider {

    public AgentTargetProvider() {
        super("agent",
                "agent:exec:COMMAND|unix:/PATH|tcp:127.0.0.1:PORT[?launch=COMMAND&base=ADDR&ram=ADDR+SIZE&arch=aarch64"
                + "&image=PATH&ram-file=PATH@GPA&qmp=PATH&timeout=10000&boot=30000] - a device inside a real VMM, via the guest agent on its serial port");
    }

    @Override
    public Target open(TargetUri uri) {
        Long base = uri.has("base") ? uri.longValue("base", 0) : null;
        String ramText = uri.string("ram", null);
        String arch = uri.string("arch", null);
        String launchText = uri.string("launch", null);
        String image = uri.string("image", null);
        String ramFile = uri.string("ram-file", null);
        String qmp = uri.string("qmp", null);
        long timeout = uri.longValue("timeout", 10_000);
        long boot = uri.longValue("boot", 30_000);
        uri.rejectUnknown();
        if (arch != null && !arch.equals("aarch64") && !arch.equals("x86_64")) {
            throw new TargetUriException("arch must be aarch64 or x86_64, got '" + arch + "' in '" + uri + "'");
        }
        if (timeout < 10 || boot < 100) {
            throw new TargetUriException("timeout must be at least 10 ms and boot at least 100 ms in '" + uri + "'");
        }
        MemoryWindow ram = ramText == null ? null : QtestTargetProvider.parseRam(ramText, uri);
        QtestTargetProvider.Endpoint ep = QtestTargetProvider.parseEndpoint(uri.path(), uri);
        List<String> launch = null;
        if (launchText != null) {
            if (!(ep.address() instanceof UnixDomainSocketAddress)) {
                throw new TargetUriException("launch= goes with agent:unix:/PATH (the socket the launched VMM's serial"
                        + " port listens on); agent:exec: runs its command itself, in '" + uri + "'");
            }
            // options arrive percent-decoded, '+' as a space: the command is split on spaces
            String cmd = launchText.strip();
            if (cmd.isEmpty()) {
                throw new TargetUriException("launch= needs a command in '" + uri + "'");
            }
            launch = List.of(cmd.split("\\s+"));
        }
        // the launch command may create the disk image and the RAM file: they are checked once it has run
        Path imagePath = image == null ? null : Path.of(image).toAbsolutePath();
        RamFile rf = ramFile == null ? null : parseRamFile(ramFile, uri);
        Path qmpPath = qmp == null ? null : Path.of(qmp).toAbsolutePath();
        AgentBackend.Config c = new AgentBackend.Config(ep, launch, arch, base, ram, imagePath, rf, qmpPath, timeout,
                boot);
        return new QtestTarget(uri.toString(), new AgentBackend(c));
    }

    /** {@code PATH@GPA}: the file that backs guest RAM, and the guest address of its first byte. */
    private static RamFile parseRamFile(String text, TargetUri uri) {
        int at = text.lastIndexOf('@');
        if (at <= 0 || at == text.length() - 1) {
            throw new TargetUriException("ram-file wants PATH@GUEST_ADDRESS, e.g. ram-file=/dev/shm/vm.ram@0x40000000;"
                    + " got '" + text + "' in '" + uri + "'");
        }
        String addr = text.substring(at + 1).strip().toLowerCase(java.util.Locale.ROOT);
        try {
            long gpa = addr.startsWith("0x") ? Long.parseUnsignedLong(addr.substring(2), 16) : Long.parseLong(addr);
            return new RamFile(Path.of(text.substring(0, at)).toAbsolutePath(), gpa);
        } catch (NumberFormatException e) {
            throw new TargetUriException("bad guest address '" + addr + "' in ram-file of '" + uri + "'");
        }
    }
}
