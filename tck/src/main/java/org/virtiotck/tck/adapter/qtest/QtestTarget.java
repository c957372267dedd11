package org.virtiotck.tck.adapter.qtest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.virtiotck.memory.GuestMemory;
import org.virtiotck.spec.MmioRegister;
import org.virtiotck.tck.spi.HostControl;
import org.virtiotck.tck.spi.InterruptObserver;
import org.virtiotck.tck.spi.MemoryWindow;
import org.virtiotck.tck.spi.Target;
import org.virtiotck.tck.spi.TargetFault;
import org.virtiotck.tck.spi.TargetInfo;

/**
 * A virtio-mmio block device inside QEMU, driven through the qtest protocol. Created by
 * {@link QemuTargetProvider} (QEMU started and owned by the kit) or {@link QtestTargetProvider} (an existing
 * qtest endpoint).
 */
public final class QtestTarget implements Target {

    /** One live connection and what was learned when it was set up. */
    public record Session(QtestConnection conn, long base, MemoryWindow ram, QemuMachine.IrqRoute irq, QmpClient qmp,
                          Map<String, String> details) {
        /** A session without intercepted interrupts (they are polled through InterruptStatus); qmp may be null. */
        public static Session polled(QtestConnection conn, long base, MemoryWindow ram, QmpClient qmp,
                                     Map<String, String> details) {
            return new Session(conn, base, ram, null, qmp, details);
        }
    }

    /** Starts or connects a session; decides what a hard reset means. */
    public abstract static class Backend {
        /** Starts a session; throws TargetFault when the target cannot be reached or set up. */
        protected abstract Session start();

        /** Whether {@link #hardReset} replaces the whole machine (true) or only resets the device (false). */
        protected abstract boolean restartsOnReset();

        protected abstract String name(Session s);

        protected abstract String version();

        /** The raw disk image behind the device, when the kit can read it. */
        protected Path image() {
            return null;
        }

        /**
         * The endpoint's own capacity-change command with {@code {sectors}} in it (sent over the qtest link; the
         * reply must be {@code OK}), or null when the endpoint names none.
         */
        protected String resizeCommand() {
            return null;
        }

        /** Whether the kit can start this target again (it started it); false for an outside endpoint. */
        protected boolean restartable() {
            return true;
        }

        /** Deletes temporary files. Never throws. */
        protected void cleanup() {
        }

        /**
         * Guest RAM the kit reaches directly (e.g. a file the VMM maps as guest RAM), or null when guest-memory
         * calls go over the link. Asked on every call, so a restart may replace it.
         */
        protected GuestMemory directRam() {
            return null;
        }

        /** How a hard reset is described in the target's details. */
        protected String hardResetText() {
            return restartsOnReset() ? "restarts the whole machine"
                    : "device reset only (Status = 0); qtest has no machine reset";
        }
    }

    private final String uri;
    private final Backend backend;
    private volatile Session session;
    private volatile QtestInterrupts interrupts;
    private volatile boolean closed;

    public QtestTarget(String uri, Backend backend) {
        this.uri = uri;
        this.backend = backend;
        try {
            this.session = backend.start();
        } catch (RuntimeException e) {
            backend.cleanup();
            throw e;
        }
        attachInterrupts(session);
    }

    private void attachInterrupts(Session s) {
        if (s.irq() == null) {
            interrupts = null;
            return;
        }
        QtestInterrupts obs = interrupts;
        if (obs == null) {
            obs = new QtestInterrupts(this, s.irq().line());
        } else {
            obs.reset(s.irq().line());
        }
        interrupts = obs;
        s.conn().setIrqListener(obs);
    }

    @Override
    public TargetInfo info() {
        Session s = session;
        Set<TargetInfo.Capability> caps = EnumSet.noneOf(TargetInfo.Capability.class);
        if (s.irq() != null) {
            caps.add(TargetInfo.Capability.IRQ_LINE);
        }
        if (backend.image() != null) {
            caps.add(TargetInfo.Capability.DISK_ACCESS);
        }
        if (s.qmp() != null || backend.resizeCommand() != null) {
            caps.add(TargetInfo.Capability.RESIZE);
        }
        Map<String, String> details = new LinkedHashMap<>(s.details());
        details.put("transport", s.conn().link().describe());
        details.put("memory access", backend.directRam() != null ? "directly, through the VMM's RAM file"
                : s.conn().base64() ? "b64read/b64write" : "read/write (hex)");
        details.put("timeout ms", Long.toString(s.conn().timeoutMillis()));
        details.put("irq", s.irq() == null ? "not intercepted (poll InterruptStatus)" : s.irq().toString());
        details.put("hard reset", backend.hardResetText());
        return new TargetInfo(uri, backend.name(s), backend.version(), s.base(), caps, details);
    }

    private Session live() {
        Session s = session;
        if (closed) {
            throw new TargetFault(TargetFault.Kind.CRASHED, "target " + uri + " is closed");
        }
        return s;
    }

    private static void checkOffset(long offset, int width) {
        if (offset < 0 || offset + width > 0x1000) {
            throw new IllegalArgumentException("register offset out of the transport window: 0x"
                    + Long.toHexString(offset));
        }
    }

    @Override
    public long read(long offset, int width) {
        checkOffset(offset, width);
        Session s = live();
        return s.conn().read(s.base() + offset, width);
    }

    @Override
    public void write(long offset, int width, long value) {
        checkOffset(offset, width);
        Session s = live();
        s.conn().write(s.base() + offset, width, value);
    }

    @Override
    public MemoryWindow ram() {
        return session.ram();
    }

    /** One direction of a harness access to guest RAM. */
    @FunctionalInterface
    private interface Transfer {
        void copy(long gpa, byte[] buf, int off, int len);
    }

    /** The live session, once the access is known to lie inside its RAM window. */
    private Session inRange(long gpa, byte[] buf, int off, int len) {
        Session s = live();
        Objects.checkFromIndexSize(off, len, buf.length);
        if (!s.ram().contains(gpa, len)) {
            throw new IllegalArgumentException("guest memory access [0x%x, +%d) is outside RAM %s"
                    .formatted(gpa, len, s.ram()));
        }
        return s;
    }

    /** Harness accesses go through the VMM's RAM file when there is one, else over qtest. */
    @Override
    public void readMemory(long gpa, byte[] dst, int dstOffset, int length) {
        Session s = inRange(gpa, dst, dstOffset, length);
        Transfer t = backend.directRam() instanceof GuestMemory direct ? direct::read : s.conn()::readMemory;
        t.copy(gpa, dst, dstOffset, length);
    }

    @Override
    public void writeMemory(long gpa, byte[] src, int srcOffset, int length) {
        Session s = inRange(gpa, src, srcOffset, length);
        Transfer t = backend.directRam() instanceof GuestMemory direct ? direct::write : s.conn()::writeMemory;
        t.copy(gpa, src, srcOffset, length);
    }

    @Override
    public Optional<InterruptObserver> interrupts() {
        return Optional.ofNullable(interrupts);
    }

    @Override
    public Optional<HostControl> host() {
        if (backend.image() == null && session.qmp() == null && backend.resizeCommand() == null) {
            return Optional.empty();
        }
        return Optional.of(new Host());
    }

    /** One harmless round trip; reads every IRQ line QEMU sent before it. */
    void sync() {
        live().conn().sync();
    }

    /** The live connection, for the benchmark. */
    public QtestConnection connection() {
        return live().conn();
    }

    /** Resets the device only (writes 0 to Status), keeping QEMU running. */
    public void deviceReset() {
        write(MmioRegister.STATUS, 4, 0);
    }

    @Override
    public boolean restartable() {
        return backend.restartable();
    }

    /** Between tests the device is only reset (Status = 0) in the running machine. */
    @Override
    public boolean freshDeviceAfterReset() {
        return false;
    }

    /** Between tests: a device reset in the running QEMU; a restart only if the connection failed. */
    @Override
    public synchronized void resetDevice() {
        if (session.conn().fault() != null) {
            hardReset();
            return;
        }
        deviceReset();
        QtestInterrupts obs = interrupts;
        if (obs != null) {
            session.conn().sync();
            obs.reset(obs.line());
        }
    }

    @Override
    public synchronized void hardReset() {
        if (closed) {
            throw new TargetFault(TargetFault.Kind.CRASHED, "target " + uri + " is closed");
        }
        Session old = session;
        if (backend.restartsOnReset() || old.conn().fault() != null) {
            closeSession(old);
            Session fresh = backend.start();
            session = fresh;
            attachInterrupts(fresh);
        }
        if (!backend.restartsOnReset()) {
            deviceReset();
            QtestInterrupts obs = interrupts;
            if (obs != null) {
                session.conn().sync();
                obs.reset(obs.line());
            }
        }
    }

    private static void closeSession(Session s) {
        try {
            if (s.qmp() != null) {
                s.qmp().close();
            }
        } catch (RuntimeException ignored) {
            // closing is best effort
        }
        try {
            s.conn().close();
        } catch (RuntimeException ignored) {
            // closing is best effort
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeSession(session);
        backend.cleanup();
    }

    @Override
    public String toString() {
        return "QtestTarget[" + uri + "]";
    }

    /** Disk inspection from the raw image, resizing through QMP block_resize. */
    private final class Host implements HostControl {
        @Override
        public void resizeCapacity(long sectors) {
            if (sectors < 0 || sectors > Long.MAX_VALUE / 512) {
                throw new IllegalArgumentException("bad capacity: " + sectors + " sectors");
            }
            Session s = live();
            QmpClient qmp = s.qmp();
            if (qmp == null && backend.resizeCommand() != null) {
                String command = backend.resizeCommand().replace("{sectors}", Long.toString(sectors));
                String answer = s.conn().command(command);
                if (!answer.strip().equals("OK")) {
                    throw new IllegalStateException("the endpoint's resize command '" + command + "' answered '"
                            + answer.strip() + "', not OK");
                }
                return;
            }
            if (qmp == null) {
                throw new UnsupportedOperationException("resizing needs a QMP socket (qemu: targets, agent: targets "
                        + "with qmp=PATH) or a resize command of the endpoint (resize=CMD%20{sectors} in a qtest: URI)");
            }
            try {
                qmp.execute("block_resize", Map.of("device", QemuTargetProvider.DRIVE_ID, "size", sectors * 512));
            } catch (IOException e) {
                if (e.getMessage() != null && e.getMessage().startsWith("QMP block_resize failed")) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
                throw new TargetFault(TargetFault.Kind.CRASHED, "QMP connection failed during block_resize: " + e, e);
            }
        }

        @Override
        public byte[] readDisk(long byteOffset, int length) {
            Path image = requireImage();
            if (byteOffset < 0 || length < 0) {
                throw new IllegalArgumentException("bad disk range: offset " + byteOffset + ", length " + length);
            }
            byte[] out = new byte[length];
            try (FileChannel ch = FileChannel.open(image, StandardOpenOption.READ)) {
                ByteBuffer bb = ByteBuffer.wrap(out);
                long pos = byteOffset;
                while (bb.hasRemaining()) {
                    int n = ch.read(bb, pos);
                    if (n < 0) {
                        throw new IllegalArgumentException("disk range [" + byteOffset + ", +" + length
                                + ") goes past the end of the image (" + ch.size() + " bytes)");
                    }
                    pos += n;
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot read disk image " + image + ": " + e, e);
            }
            return out;
        }

        @Override
        public long diskBytes() {
            Path image = requireImage();
            try {
                return Files.size(image);
            } catch (IOException e) {
                throw new IllegalStateException("cannot stat disk image " + image + ": " + e, e);
            }
        }

        private Path requireImage() {
            Path image = backend.image();
            if (image == null) {
                throw new UnsupportedOperationException("this target has no readable disk image; pass image=PATH");
            }
            return image;
        }
    }
}
