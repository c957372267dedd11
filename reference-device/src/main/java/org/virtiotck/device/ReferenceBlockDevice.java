package org.virtiotck.device;

import java.util.List;
import java.util.Objects;
import org.virtiotck.memory.GuestMemory;
import org.virtiotck.spec.Blk;

/**
 * A strict, spec-faithful virtio-blk device behind a virtio-mmio register window (VirtIO 1.2-1.4 §4.2,
 * §5.2, split virtqueues §2.7), modern (Version 2) or legacy (Version 1) as configured.
 *
 * <p>Requests are processed synchronously inside the QueueNotify write. Malformed rings put the device into
 * DEVICE_NEEDS_RESET; driver-side rule breaks are recorded (never thrown) and listed by
 * {@link #driverViolations()}. {@link #read} and {@link #write} never throw.
 *
 * <p>Not thread-safe: the caller serializes register accesses and host-side calls (as a vCPU MMIO exit
 * handler naturally does).
 */
public final class ReferenceBlockDevice implements MmioDevice, AutoCloseable {
    private final BlockDeviceConfig config;
    private final BlockBackend backend;
    private final MmioTransport transport;

    /** A device whose disk is {@link BlockDeviceConfig#imageFile()} or, when that is null, a RAM disk. */
    public ReferenceBlockDevice(BlockDeviceConfig config, GuestMemory memory, InterruptLine irq) {
        this(config, memory, irq, openBackend(config));
    }

    /** A device on a caller-supplied disk (e.g. a shared or pre-filled backend); its size is set to the capacity. */
    public ReferenceBlockDevice(BlockDeviceConfig config, GuestMemory memory, InterruptLine irq, BlockBackend backend) {
        this.config = Objects.requireNonNull(config, "config");
        this.backend = Objects.requireNonNull(backend, "backend");
        long bytes = config.capacitySectors() * Blk.SECTOR_SIZE;
        if (backend.sizeBytes() != bytes) {
            backend.resize(bytes);
        }
        this.transport = new MmioTransport(config, Objects.requireNonNull(memory, "memory"),
                irq == null ? InterruptLine.NONE : irq, backend);
    }

    private static BlockBackend openBackend(BlockDeviceConfig config) {
        long bytes = config.capacitySectors() * Blk.SECTOR_SIZE;
        return config.imageFile() == null ? new MemoryBackend(bytes)
                : new FileBackend(config.imageFile(), bytes, config.readOnly()); // RO offered: never written
    }

    @Override
    public long read(long offset, int width) {
        if (width != 1 && width != 2 && width != 4 && width != 8) {
            return 0;
        }
        try {
            return transport.read(offset, width) & widthMask(width);
        } catch (RuntimeException e) {
            transport.needsReset("internal error on read at 0x" + Long.toHexString(offset) + ": " + e);
            return 0;
        }
    }

    @Override
    public void write(long offset, int width, long value) {
        if (width != 1 && width != 2 && width != 4 && width != 8) {
            return;
        }
        try {
            transport.write(offset, width, value & widthMask(width));
        } catch (RuntimeException e) {
            // GuestMemoryFault or anything unforeseen: stop serving rather than let the guest crash the host.
            try {
                transport.needsReset("internal error on write at 0x" + Long.toHexString(offset) + ": " + e);
            } catch (RuntimeException ignored) {
                // the interrupt line itself failed; nothing more we can do
            }
        }
    }

    private static long widthMask(int width) {
        return width == 8 ? -1L : (1L << (8 * width)) - 1;
    }

    /** Every driver-side rule break seen so far, oldest first (bounded; see {@link #droppedViolations()}). */
    public List<DriverViolation> driverViolations() {
        return transport.checker.snapshot();
    }

    /** The driver-rule violations recorded since the last clear, handed over without a copy (for a caller that
     * reads them once per run, such as the fuzzer); the record starts afresh, as after {@link
     * #clearDriverViolations}. */
    public List<DriverViolation> takeDriverViolations() {
        return transport.checker.take();
    }

    /** Whether any driver-rule violation was recorded since the last clear (cheap: no copy). */
    public boolean hasDriverViolations() {
        return transport.checker.any();
    }

    public void clearDriverViolations() {
        transport.checker.clear();
    }

    /** Violations not kept because the list reached its bound. */
    public long droppedViolations() {
        return transport.checker.dropped();
    }

    /**
     * Host-side capacity change (blk.dev.19, blk.dev.20): resizes the backend, publishes the new capacity, bumps
     * ConfigGeneration (mmio.dev.7) and raises the configuration-change interrupt if DRIVER_OK is set.
     */
    public void resizeCapacity(long sectors) {
        if (sectors < 0 || sectors > Long.MAX_VALUE / Blk.SECTOR_SIZE) {
            throw new IllegalArgumentException("bad capacity " + sectors);
        }
        if (config.zoned() && sectors == 0) {
            throw new IllegalArgumentException("a zoned device needs at least one zone");
        }
        backend.resize(sectors * Blk.SECTOR_SIZE);
        transport.zonesResized(sectors);
        transport.blkConfig.setCapacity(sectors);
        transport.configChanged();
    }

    /** Current capacity in 512-byte sectors (changes with {@link #resizeCapacity}). */
    public long capacitySectors() {
        return transport.blkConfig.capacity();
    }

    public BlockBackend backend() {
        return backend;
    }

    public BlockDeviceConfig config() {
        return config;
    }

    /** Current device status register. */
    public int status() {
        return transport.status;
    }

    /** Features in force: fixed at FEATURES_OK (modern), the driver's live selection (legacy). */
    public long negotiatedFeatures() {
        return transport.negotiated;
    }

    /** Current InterruptStatus bits. */
    public int interruptStatus() {
        return transport.interruptStatus;
    }

    /** Current level of the interrupt line. */
    public boolean interruptAsserted() {
        return transport.lineLevel();
    }

    public int configGeneration() {
        return transport.configGeneration;
    }

    /** Whether the device is in DEVICE_NEEDS_RESET (and so ignores notifications until reset). */
    public boolean needsReset() {
        return transport.broken;
    }

    /** Why the device entered DEVICE_NEEDS_RESET, or null. */
    public String needsResetReason() {
        return transport.needsResetReason;
    }

    /** Whether completed writes are currently made durable before completion (blk.dev.31). */
    public boolean writethrough() {
        return transport.writethrough();
    }

    /**
     * Host-side view of zone {@code z} of a zoned device: {state, write pointer as reported, written end}, for
     * inspection in tests. Throws for a non-zoned device.
     */
    public long[] zone(int z) {
        ZoneRequestHandler zh = transport.zonedHandler();
        if (zh == null) {
            throw new IllegalStateException("not a zoned device");
        }
        return new long[] {zh.zones.state(z), zh.zones.reportedWp(z), zh.zones.writtenEnd(z)};
    }

    /** Current {@code writeback} config byte. */
    public int writeback() {
        return transport.blkConfig.writeback();
    }

    /** Releases the backend (closes an image file). */
    @Override
    public void close() {
        backend.close();
    }

    @Override
    public String toString() {
        return "ReferenceBlockDevice[" + config + ", status=" + org.virtiotck.spec.DeviceStatus.describe(status())
                + "]";
    }
}
