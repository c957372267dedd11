package org.virtiotck.tck.adapter.kvm;

import java.util.Locale;
import org.virtiotck.tck.adapter.Rate;
import org.virtiotck.tck.adapter.hosted.HostedDevice;
import org.virtiotck.tck.adapter.hosted.HostedDevices;

/**
 * One command, one run: trapped MMIO accesses per second through KVM next to direct in-process calls to the very
 * same device instance.
 *
 * <pre>
 *   java --enable-native-access=ALL-UNNAMED -cp tck/target/virtio-tck.jar \
 *        org.virtiotck.tck.adapter.kvm.KvmBenchmark [inner URI, default reference] [seconds per phase, default 3]
 * </pre>
 *
 * The access mix is what a driver does most: 4-byte reads of InterruptStatus and QueueReady, an 8-byte read of
 * the capacity in configuration space and a 4-byte write of QueueSel. Each trapped access is one guest
 * instruction: KVM_RUN exits with KVM_EXIT_MMIO, the device answers, KVM_RUN resumes and the stub reports back
 * with an OUT (a second exit), so a trapped access costs two KVM_RUN round trips.
 */
public final class KvmBenchmark {
    private KvmBenchmark() {}

    /** Rates of one run. */
    public record Result(String device, long trapped, double trappedSeconds, long direct, double directSeconds,
                         long mmioExits, long kvmRuns) {
        public double trappedPerSecond() {
            return trapped / trappedSeconds;
        }

        public double directPerSecond() {
            return direct / directSeconds;
        }

        public double ratio() {
            return directPerSecond() / trappedPerSecond();
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "device:                 %s%n"
                            + "trapped through KVM:    %,14.0f accesses/s  (%,d accesses, %,d MMIO exits, %,d KVM_RUN calls, %.2f us/access)%n"
                            + "direct in-process call: %,14.0f accesses/s  (%,d accesses, %.3f us/access)%n"
                            + "ratio direct/trapped:   %,14.1f x",
                    device, trappedPerSecond(), trapped, mmioExits, kvmRuns, 1e6 / trappedPerSecond(),
                    directPerSecond(), direct, 1e6 / directPerSecond(), ratio());
        }
    }

    public static Result run(String innerUri, double secondsPerPhase) {
        String why = KvmMachine.unavailableReason();
        if (why != null) {
            throw new IllegalStateException("KVM unavailable: " + why);
        }
        try (KvmTarget kvm = new KvmTarget("kvm:" + innerUri, HostedDevices.factory(innerUri))) {
            HostedDevice device = kvm.device();
            long budget = (long) (secondsPerPhase * 1e9);
            // warm-up of both paths
            phase(kvm::read, kvm::write, 200_000_000L);
            phase(device::read, device::write, 200_000_000L);
            long exits0 = kvm.machine().mmioExits();
            long runs0 = kvm.machine().runs();
            long[] trapped = phase(kvm::read, kvm::write, budget);
            long exits = kvm.machine().mmioExits() - exits0;
            long runs = kvm.machine().runs() - runs0;
            long[] direct = phase(device::read, device::write, budget);
            return new Result(kvm.info().name(), trapped[0], trapped[1] / 1e9, direct[0], direct[1] / 1e9, exits, runs);
        }
    }

    interface Reader {
        long read(long offset, int width);
    }

    interface Writer {
        void write(long offset, int width, long value);
    }

    /** Runs the access mix for about {@code nanos}; returns {accesses, elapsed nanos}. */
    private static long[] phase(Reader r, Writer w, long nanos) {
        long[] sink = {0};
        long[] done = Rate.measure(nanos, () -> {
            for (int i = 0; i < 256; i++) {
                sink[0] += r.read(0x060, 4);   // InterruptStatus
                sink[0] += r.read(0x044, 4);   // QueueReady
                sink[0] += r.read(0x100, 8);   // capacity
                w.write(0x030, 4, 0);          // QueueSel
            }
            return 1024;
        });
        if (sink[0] == 42) {
            System.out.print("");
        }
        return done;
    }

    public static void main(String[] args) {
        String inner = args.length > 0 ? args[0] : "reference";
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 3;
        try {
            System.out.println(run(inner, seconds));
        } catch (IllegalStateException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        }
    }
}
