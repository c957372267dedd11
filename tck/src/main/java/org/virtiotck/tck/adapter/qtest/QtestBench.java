package org.virtiotck.tck.adapter.qtest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import org.virtiotck.spec.MmioRegister;
import org.virtiotck.tck.spi.Target;
import org.virtiotck.tck.spi.TargetInfo;
import org.virtiotck.tck.spi.Targets;
import org.virtiotck.tck.adapter.Rate;

/**
 * Measures register round trips per second through the adapter ({@code target.read(MagicValue, 4)}) against
 * a raw qtest ping loop on the same link of the same QEMU ({@code readl BASE} written straight to the
 * stream, the answer line read straight back), alternating rounds so both see the same conditions.
 *
 * <p>Usage: {@code QtestBench [TARGET_URI] [TOTAL_SECONDS] [SLICES]}, default
 * {@code qemu:aarch64-virt 8 40}.
 */
public final class QtestBench {
    private QtestBench() {}

    public static void main(String[] args) throws IOException {
        String uri = args.length > 0 ? args[0] : "qemu:aarch64-virt";
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 8.0;
        int slices = args.length > 2 ? Integer.parseInt(args[2]) : 40;
        try (Target t = Targets.open(uri)) {
            if (!(t instanceof QtestTarget qt)) {
                System.err.println(uri + " is not a qtest target");
                System.exit(2);
                return;
            }
            TargetInfo info = t.info();
            System.out.println("target: " + info.name() + " at 0x" + Long.toHexString(info.transportBase())
                    + " via " + info.details().get("transport"));
            // warm up both paths (JIT)
            adapterLoop(qt, 300_000_000L);
            rawLoop(qt, 300_000_000L);
            // Short alternating slices, so both loops see the same machine load; half of the total each.
            Rate.Paired p = Rate.paired(seconds, slices, slice -> rawLoop(qt, slice), slice -> adapterLoop(qt, slice));
            System.out.printf(Locale.ROOT, "raw qtest ping loop: %,.0f round trips/s%n", p.first());
            System.out.printf(Locale.ROOT, "adapter Target.read: %,.0f round trips/s%n", p.second());
            System.out.printf(Locale.ROOT, "ratio adapter/raw:   %.1f%% of the mean rates, median of %d paired slices %.1f%%%n",
                    100 * p.ratio(), slices, 100 * p.medianRatio());
        }
    }

    /** Round trips per second through Target.read. */
    static double adapterLoop(QtestTarget t, long nanos) {
        return Rate.perSecond(nanos, () -> {
            for (int i = 0; i < 64; i++) {
                if (t.read(MmioRegister.MAGIC_VALUE, 4) != MmioRegister.MAGIC) {
                    throw new IllegalStateException("bad MagicValue");
                }
            }
            return 64;
        });
    }

    /** Round trips per second writing "readl BASE" to the link directly and scanning for the answer line. */
    static double rawLoop(QtestTarget t, long nanos) throws IOException {
        QtestLink link = t.connection().link();
        byte[] cmd = ("readl 0x" + Long.toHexString(t.info().transportBase()) + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] buf = new byte[4096];
        return Rate.perSecond(nanos, () -> {
            for (int i = 0; i < 64; i++) {
                link.write(cmd, 0, cmd.length);
                int have = 0;
                boolean done = false;
                while (!done) {
                    int got = link.read(buf, have, buf.length - have);
                    if (got < 0) {
                        throw new IOException("end of stream");
                    }
                    for (int k = have; k < have + got; k++) {
                        if (buf[k] == '\n') {
                            done = true;
                            break;
                        }
                    }
                    have += got;
                }
                if (buf[0] != 'O') {
                    throw new IOException("unexpected answer in raw loop");
                }
            }
            return 64;
        });
    }
}
