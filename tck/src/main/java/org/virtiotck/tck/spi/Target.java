package org.virtiotck.tck.spi;

import java.util.Optional;

/**
 * What a device must offer to be tested: the target SPI.
 *
 * <p>A target is one virtio-mmio block device plus the guest RAM it can reach. The harness talks to it only
 * through this interface, so the same suites run against the in-process reference device, QEMU through qtest,
 * a native library, or a device hosted on a real vCPU.
 *
 * <p>Contract for implementations:
 * <ul>
 *   <li>Register offsets are relative to the transport base; widths are 1, 2, 4 or 8 bytes.</li>
 *   <li>Every call returns within a bounded time. A target that dies, hangs or speaks nonsense throws
 *       {@link TargetFault}; it never blocks the harness forever and never throws anything else.</li>
 *   <li>Guest memory calls address guest-physical memory inside {@link #ram()}.</li>
 * </ul>
 */
public interface Target extends AutoCloseable {

    TargetInfo info();

    /** Reads a transport register (or configuration space at 0x100+) with the given access width. */
    long read(long offset, int width);

    void write(long offset, int width, long value);

    /** The guest-physical window the harness may use for rings and buffers. */
    MemoryWindow ram();

    void readMemory(long gpa, byte[] dst, int dstOffset, int length);

    void writeMemory(long gpa, byte[] src, int srcOffset, int length);

    /**
     * The device's interrupt line, when the target can observe it. Empty means the harness must poll
     * InterruptStatus instead.
     */
    Optional<InterruptObserver> interrupts();

    /** Host-side controls (disk resize, disk inspection), when the target can offer them. */
    default Optional<HostControl> host() {
        return Optional.empty();
    }

    /**
     * Driver-rule violations recorded by a strict device model, when the target has one (the reference
     * device does). Empty when the target cannot check drivers.
     */
    default Optional<DriverChecker> driverChecker() {
        return Optional.empty();
    }

    /** Replaces the device with a fresh one, as if the machine were powered on again. Guest RAM content is undefined. */
    void hardReset();

    /**
     * Brings the device back to its reset state as cheaply as the target can (at least a guest-visible reset:
     * Status written 0), keeping an expensive process alive. The harness uses it between tests and falls back to
     * {@link #hardReset()} after a fault. The default is a hard reset.
     */
    default void resetDevice() {
        hardReset();
    }

    /**
     * Whether the kit can bring this target back after it died or hung: true for targets it starts itself (the
     * in-process devices, {@code qemu:}, {@code qtest:exec:}); false for an endpoint someone else started
     * ({@code qtest:unix:}, {@code qtest:tcp:}), which the run stops reconnecting to after a few attempts.
     */
    default boolean restartable() {
        return true;
    }

    /**
     * Whether {@link #resetDevice()} gives a freshly powered-on device (true for the default, a hard reset), or
     * only a guest-visible reset of the same device, which then must work for every test after the first.
     */
    default boolean freshDeviceAfterReset() {
        return true;
    }

    /** Releases the target; never throws. */
    @Override
    void close();
}
