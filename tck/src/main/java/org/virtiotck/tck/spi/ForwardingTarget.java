package org.virtiotck.tck.spi;

import java.util.Optional;

/**
 * A target that hands every call to another one; a wrapper extends it and overrides only the calls it changes
 * (bounding them, renaming the target, breaking a behaviour on purpose).
 */
public abstract class ForwardingTarget implements Target {
    protected final Target inner;

    protected ForwardingTarget(Target inner) {
        this.inner = inner;
    }

    @Override
    public TargetInfo info() {
        return inner.info();
    }

    @Override
    public long read(long offset, int width) {
        return inner.read(offset, width);
    }

    @Override
    public void write(long offset, int width, long value) {
        inner.write(offset, width, value);
    }

    @Override
    public MemoryWindow ram() {
        return inner.ram();
    }

    @Override
    public void readMemory(long gpa, byte[] dst, int dstOffset, int length) {
        inner.readMemory(gpa, dst, dstOffset, length);
    }

    @Override
    public void writeMemory(long gpa, byte[] src, int srcOffset, int length) {
        inner.writeMemory(gpa, src, srcOffset, length);
    }

    @Override
    public Optional<InterruptObserver> interrupts() {
        return inner.interrupts();
    }

    @Override
    public Optional<HostControl> host() {
        return inner.host();
    }

    @Override
    public Optional<DriverChecker> driverChecker() {
        return inner.driverChecker();
    }

    @Override
    public void hardReset() {
        inner.hardReset();
    }

    @Override
    public void resetDevice() {
        inner.resetDevice();
    }

    @Override
    public boolean restartable() {
        return inner.restartable();
    }

    @Override
    public boolean freshDeviceAfterReset() {
        return inner.freshDeviceAfterReset();
    }

    @Override
    public void close() {
        inner.close();
    }
}
