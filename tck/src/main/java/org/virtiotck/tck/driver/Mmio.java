package org.virtiotck.tck.driver;

import static org.virtiotck.spec.MmioRegister.*;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.virtiotck.spec.MmioRegister;
import org.virtiotck.tck.spi.Target;

/**
 * Register-level access to a virtio-mmio transport, the way a careful driver does it: control registers with
 * aligned 32-bit accesses (mmio.drv.1), configuration fields at their own width, 64-bit fields as two 32-bit
 * halves (mmio.drv.5). Keeps the last accesses so a failure can show what the harness just did.
 */
public final class Mmio {
    private static final int LOG_SIZE = 48;

    private final Target target;
    private final ArrayDeque<String> log = new ArrayDeque<>(LOG_SIZE);

    public Mmio(Target target) {
        this.target = target;
    }

    public Target target() {
        return target;
    }

    public int read(int offset) {
        int v = (int) target.read(offset, 4);
        note("R", offset, 4, v);
        return v;
    }

    public void write(int offset, int value) {
        note("W", offset, 4, value & 0xffffffffL);
        target.write(offset, 4, value & 0xffffffffL);
    }

    /** Any width, any offset: the low-level path for tests that break the rules on purpose. */
    public long readRaw(int offset, int width) {
        long v = target.read(offset, width);
        note("R", offset, width, v);
        return v;
    }

    public void writeRaw(int offset, int width, long value) {
        note("W", offset, width, value);
        target.write(offset, width, value);
    }

    public int status() {
        return read(MmioRegister.STATUS);
    }

    public void setStatus(int status) {
        write(MmioRegister.STATUS, status);
    }

    public int config8(int field) {
        return (int) (readRaw(CONFIG + field, 1) & 0xff);
    }

    public int config16(int field) {
        return (int) (readRaw(CONFIG + field, 2) & 0xffff);
    }

    public int config32(int field) {
        return (int) readRaw(CONFIG + field, 4);
    }

    /** A 64-bit field as two 32-bit reads, low half first; only consistent inside a generation loop. */
    public long config64(int field) {
        long low = config32(field) & 0xffffffffL;
        long high = config32(field + 4) & 0xffffffffL;
        return (high << 32) | low;
    }

    public void writeConfig8(int field, int value) {
        writeRaw(CONFIG + field, 1, value & 0xff);
    }

    public int configGeneration() {
        return read(CONFIG_GENERATION);
    }

    /** The 64 device feature bits, the high word first; a legacy transport has only the low word. */
    public long deviceFeatures(boolean legacy) {
        if (legacy) {
            write(DEVICE_FEATURES_SEL, 0);
            return read(DEVICE_FEATURES) & 0xffffffffL;
        }
        write(DEVICE_FEATURES_SEL, 1);
        long high = read(DEVICE_FEATURES) & 0xffffffffL;
        write(DEVICE_FEATURES_SEL, 0);
        long low = read(DEVICE_FEATURES) & 0xffffffffL;
        return (high << 32) | low;
    }

    /** Writes the driver features, the high word first; a legacy transport has only the low word. */
    public void driverFeatures(long features, boolean legacy) {
        if (!legacy) {
            write(DRIVER_FEATURES_SEL, 1);
            write(DRIVER_FEATURES, (int) (features >>> 32));
        }
        write(DRIVER_FEATURES_SEL, 0);
        write(DRIVER_FEATURES, (int) features);
    }

    /** The three ring addresses of the selected queue (modern layout). */
    public void queueAddresses(long desc, long avail, long used) {
        write(QUEUE_DESC_LOW, (int) desc);
        write(QUEUE_DESC_HIGH, (int) (desc >>> 32));
        write(QUEUE_DRIVER_LOW, (int) avail);
        write(QUEUE_DRIVER_HIGH, (int) (avail >>> 32));
        write(QUEUE_DEVICE_LOW, (int) used);
        write(QUEUE_DEVICE_HIGH, (int) (used >>> 32));
    }

    private void note(String dir, int offset, int width, long value) {
        if (log.size() == LOG_SIZE) {
            log.removeFirst();
        }
        log.addLast(dir + width * 8 + " " + MmioRegister.name(offset) + " = 0x" + Long.toHexString(value));
    }

    /** The most recent register accesses, oldest first. */
    public List<String> recentAccesses() {
        return new ArrayList<>(log);
    }
}
