package org.virtiotck.fuzz.exec;

import org.virtiotck.device.ForwardingMmioDevice;
import org.virtiotck.device.MmioDevice;
import org.virtiotck.spec.Blk;
import org.virtiotck.spec.MmioRegister;
import org.virtiotck.tck.adapter.reference.ReferenceTargetProvider;
import org.virtiotck.tck.spi.Target;
import org.virtiotck.tck.spi.TargetProvider;
import org.virtiotck.tck.spi.TargetUri;
import org.virtiotck.tck.spi.TargetUriException;

/**
 * Broken reference variants reachable by URI, so the command line can be tested against them (tests only, found
 * through META-INF/services):
 *
 * <ul>
 *   <li>{@code broken-test:barrier-served-as-in} answers every notified request with IOERR in the status byte at
 *       {@link #STATUS} of guest RAM, as QEMU 7.2 answers a BARRIER request it serves as an IN;</li>
 *   <li>{@code broken-test:crash-after-wide-config-read} crashes (throws) at every QueueNotify once an 8-byte read
 *       of the device-specific configuration space was followed by a device reset, until its next power-on (a hard
 *       reset): state one program leaves for the next, as QEMU 7.2 keeps ring positions over a reset and aborts
 *       later. A fresh device never crashes in the program that made the read, so the crash is reproduced only by
 *       running that program first.</li>
 * </ul>
 */
public final class BrokenTargetProvider implements TargetProvider {
    /** Where the variant writes its status byte (the status byte of {@code SplitHeaderTest}'s requests). */
    static final long STATUS = SplitHeaderTest.STATUS;
    static final String BARRIER_SERVED_AS_IN = "barrier-served-as-in";
    static final String CRASH_AFTER_WIDE_CONFIG_READ = "crash-after-wide-config-read";

    @Override
    public String scheme() {
        return "broken-test";
    }

    @Override
    public String usage() {
        return "broken-test:" + BARRIER_SERVED_AS_IN + " | broken-test:" + CRASH_AFTER_WIDE_CONFIG_READ
                + " (fuzz tests only)";
    }

    @Override
    public Target open(TargetUri uri) {
        return switch (uri.path()) {
            case BARRIER_SERVED_AS_IN -> AfterNotify.open("reference", (target, n) -> target.writeMemory(
                    target.ram().base() + STATUS, new byte[] {Blk.S_IOERR}, 0, 1));
            case CRASH_AFTER_WIDE_CONFIG_READ -> new ReferenceTargetProvider().open(TargetUri.parse("reference"),
                    CrashAfterWideConfigRead::new);
            default -> throw new TargetUriException("unknown broken variant '" + uri.path() + "' ("
                    + BARRIER_SERVED_AS_IN + ", " + CRASH_AFTER_WIDE_CONFIG_READ + ")");
        };
    }

    /** The device of {@code crash-after-wide-config-read}; a new one at each power-on. */
    private static final class CrashAfterWideConfigRead extends ForwardingMmioDevice {
        private boolean read;
        private boolean armed;

        CrashAfterWideConfigRead(MmioDevice device) {
            super(device);
        }

        @Override
        public long read(long offset, int width) {
            if (offset >= MmioRegister.CONFIG && width == 8) {
                read = true;
            }
            return super.read(offset, width);
        }

        @Override
        public void write(long offset, int width, long value) {
            if (offset == MmioRegister.STATUS && value == 0) {
                armed |= read; // kept over the reset, as a device's internal state can be
            }
            if (offset == MmioRegister.QUEUE_NOTIFY && armed) {
                throw new IllegalStateException("assertion failed: state kept from before a reset (broken-test)");
            }
            super.write(offset, width, value);
        }
    }
}
