package org.virtiotck.fuzz.bench;

import static org.virtiotck.spec.MmioRegister.*;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.virtiotck.fuzz.campaign.Campaign;
import org.virtiotck.fuzz.campaign.CampaignConfig;
import org.virtiotck.fuzz.exec.Harness;
import org.virtiotck.fuzz.exec.Complaint;
import org.virtiotck.fuzz.gen.ProgramGen;
import org.virtiotck.fuzz.program.Op;
import org.virtiotck.fuzz.program.Program;
import org.virtiotck.device.ForwardingMmioDevice;
import org.virtiotck.queue.Descriptor;
import org.virtiotck.spec.Blk;
import org.virtiotck.spec.DeviceStatus;
import org.virtiotck.spec.FeatureBit;
import org.virtiotck.spec.SplitRing;
import org.virtiotck.tck.adapter.reference.ReferenceTargetProvider;
import org.virtiotck.tck.spi.Target;
import org.virtiotck.tck.spi.TargetUri;
import org.virtiotck.tck.spi.Targets;

/**
 * The fuzzer's committed benchmark. One exec = device reset + init (status, features, one queue of 8, DRIVER_OK)
 * + two requests (an OUT of one sector, then an IN of it, each notified) + the oracle checks. Three figures, all on
 * one core, measured in the same run:
 * <ol>
 *   <li><b>raw baseline</b>: a bare loop making the same target calls (register writes, guest-memory writes,
 *       notify) on one target, with no observation and no oracle;</li>
 *   <li><b>fuzz exec</b>: the same program through {@link Harness#run}: interpreter, observation, the strict
 *       model's driver-rule record, canaries, differential and disk checks;</li>
 *   <li><b>campaign</b>: a real single-job campaign (generation, mutation, feedback, corpus) for the same time,
 *       and the same with {@code --jobs 2} (each job its own target pair), after a warm-up campaign with two jobs:
 *       {@value #BRACKETS} brackets of one job, two jobs, one job again (each run half the figure time); the rates
 *       are medians, the jobs ratio is the median of the brackets' ratios. The campaigns use the settle time
 *       {@code fuzz run} gives the target by default (none for the in-process reference device). Against the
 *       undecorated reference device the harness runs each program once (the device is its own oracle, see
 *       {@link Harness}); the last figure is the same one-job campaign with the oracle a second copy of the
 *       device, as for every other target.</li>
 * </ol>
 * Usage: {@code java -cp cli/target/virtio-tck.jar org.virtiotck.fuzz.bench.FuzzBench [target-uri] [seconds]}
 * (default {@code reference}, 5 s per figure). Run it with {@code ./mvnw -q -pl fuzz exec:java
 * -Dexec.mainClass=org.virtiotck.fuzz.bench.FuzzBench} or from the runnable jar.
 */
public final class FuzzBench {
    private FuzzBench() {
    }

    /** How many one job / two jobs / one job brackets the campaign figures come from. */
    static final int BRACKETS = 3;

    /**
     * The figures of one run. {@code campaignPerSecond} and {@code twoJobsPerSecond} are the medians over the
     * brackets; {@code jobsRatio} is the median of the brackets' ratios (each two-job rate over the mean of the
     * one-job rates around it). Per CPU second: execs over the CPU time the job threads spent in their loops (for
     * two jobs, per job), and the share of a core each job thread got; on a machine crowded by other work these
     * say what the wall-clock rates cannot. The load averages are the machine's (1 minute) at the start and end.
     */
    public record Figures(double rawPerSecond, double execPerSecond, double campaignPerSecond,
                          double twoJobsPerSecond, double jobsRatio, double[] bracketRatios,
                          double campaignPerCpuSecond, double twoJobsPerCpuSecond, double oneJobCoreShare,
                          double twoJobsCoreShare, double twoDevicesPerCpuSecond, double longSeconds,
                          double longPerCpuSecond, double longCoreShare, double loadBefore, double loadAfter) {
        public double ratio() {
            return execPerSecond / rawPerSecond;
        }
    }

    /** One campaign's wall-clock rate, its rate per job-thread CPU second, and the share of a core per job. */
    private record Rate(double perSecond, double perCpuSecond, double coreShare) {
    }

    public static void main(String[] args) {
        String uri = args.length > 0 ? args[0] : "reference";
        double secs = args.length > 1 ? Double.parseDouble(args[1]) : 5;
        double longSecs = args.length > 2 ? Double.parseDouble(args[2]) : LONG_SECONDS;
        Figures f = measure(uri, secs, longSecs);
        System.out.printf("target %s, %.0f s per figure (campaigns: %d brackets of %.1f s runs), one core; "
                        + "load average %.2f before, %.2f after, %d cores%n", uri, secs, BRACKETS, secs / 2,
                f.loadBefore(), f.loadAfter(), Runtime.getRuntime().availableProcessors());
        System.out.printf("raw baseline (bare target calls): %,12.0f exec/s%n", f.rawPerSecond());
        System.out.printf("fuzz exec (harness + oracle):     %,12.0f exec/s  (%.2f of raw)%n", f.execPerSecond(),
                f.ratio());
        System.out.printf("campaign (gen + mutate + feedback): %,10.0f exec/s  (%.2f of raw; median of %d)%n",
                f.campaignPerSecond(), f.campaignPerSecond() / f.rawPerSecond(), BRACKETS * 2);
        StringBuilder each = new StringBuilder();
        for (double r : f.bracketRatios()) {
            each.append(each.isEmpty() ? "" : ", ").append(String.format("%.2f", r));
        }
        System.out.printf("campaign, --jobs 2:                %,11.0f exec/s  (%.2f x one job, median of brackets "
                + "%s)%n", f.twoJobsPerSecond(), f.jobsRatio(), each);
        System.out.printf("per CPU second of a job thread:    %,11.0f exec  one job (it got %.0f%% of a core); "
                        + "%,.0f exec per job with two jobs (each got %.0f%% of a core)%n", f.campaignPerCpuSecond(),
                100 * f.oneJobCoreShare(), f.twoJobsPerCpuSecond(), 100 * f.twoJobsCoreShare());
        System.out.printf("one job, oracle a second device:   %,11.0f exec per CPU second (%.2f of the reference as its"
                        + " own oracle; what any other target costs on the harness side)%n",
                f.twoDevicesPerCpuSecond(), f.twoDevicesPerCpuSecond() / f.campaignPerCpuSecond());
        if (f.longSeconds() > 0) {
            System.out.printf("one job, one %.0f s campaign:       %,11.0f exec per CPU second (%.2f of the %.1f s runs;"
                            + " it got %.0f%% of a core)%n", f.longSeconds(), f.longPerCpuSecond(),
                    f.longPerCpuSecond() / f.campaignPerCpuSecond(), secs / 2, 100 * f.longCoreShare());
        }
    }

    /**
     * The length of the long one-job campaign (seconds): the short runs of the brackets see a young corpus only, and
     * a campaign's CPU per exec may change as its corpus grows, so the figure that holds for real campaigns is read
     * from a longer one too.
     */
    static final double LONG_SECONDS = 30;

    public static Figures measure(String uri, double secs) {
        return measure(uri, secs, LONG_SECONDS);
    }

    /** As {@link #measure(String, double)}, with one more one-job campaign of {@code longSecs} (none when 0). */
    public static Figures measure(String uri, double secs, double longSecs) {
        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        long nanos = (long) (secs * 1e9);
        double raw;
        try (Target t = Targets.open(uri)) {
            RawLoop loop = new RawLoop(t);
            run(loop::exec, nanos / 5); // warm-up
            raw = run(loop::exec, nanos);
        }
        double exec;
        Program p = benchProgram();
        try (Harness h = Harness.forTarget(Targets.open(uri), uri, settleMillis(uri))) {
            Runnable r = () -> {
                Complaint v = h.run(p);
                if (v != null) {
                    throw new IllegalStateException("bench program produced a finding: " + v);
                }
            };
            run(r, nanos / 5);
            exec = run(r, nanos);
        }
        // Campaigns: one warm-up with two jobs (both jobs' code paths compiled before anything is measured), then
        // brackets of one job, two jobs, one job again: each bracket's ratio is its two-job rate over the mean of
        // the one-job runs around it, so a load change during a bracket does not favour either side, and the
        // median over the brackets is not moved by one disturbed bracket.
        campaign(uri, nanos / 2, 2);
        long half = nanos / 2;
        Rate[] ones = new Rate[BRACKETS * 2];
        Rate[] twos = new Rate[BRACKETS];
        double[] ratios = new double[BRACKETS];
        for (int b = 0; b < BRACKETS; b++) {
            ones[2 * b] = campaign(uri, half, 1);
            twos[b] = campaign(uri, half, 2);
            ones[2 * b + 1] = campaign(uri, half, 1);
            ratios[b] = twos[b].perSecond() / ((ones[2 * b].perSecond() + ones[2 * b + 1].perSecond()) / 2);
        }
        // The same campaign with the oracle a second copy of the device, as for every target other than the
        // undecorated reference device: a pass-through decorator makes the harness open one (see Harness).
        Rate[] separate = new Rate[BRACKETS];
        for (int b = 0; b < BRACKETS; b++) {
            separate[b] = campaign(uri, half, 1, true);
        }
        Rate longRun = longSecs > 0 ? campaign(uri, (long) (longSecs * 1e9), 1) : new Rate(0, 0, 0);
        double loadAfter = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return new Figures(raw, exec, median(ones, Rate::perSecond), median(twos, Rate::perSecond), median(ratios),
                ratios, median(ones, Rate::perCpuSecond), median(twos, Rate::perCpuSecond),
                median(ones, Rate::coreShare), median(twos, Rate::coreShare), median(separate, Rate::perCpuSecond),
                longSecs, longRun.perCpuSecond(), longRun.coreShare(), loadBefore, loadAfter);
    }

    private static double median(Rate[] rates, ToDoubleFunction<Rate> f) {
        double[] v = new double[rates.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = f.applyAsDouble(rates[i]);
        }
        return median(v);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static Rate campaign(String uri, long nanos, int jobs) {
        return campaign(uri, nanos, jobs, false);
    }

    private static Rate campaign(String uri, long nanos, int jobs, boolean secondDevice) {
        CampaignConfig cfg = CampaignConfig.of(uri, Duration.ofNanos(nanos), null, 42).withJobs(jobs)
                .withSettleMillis(settleMillis(uri));
        if (secondDevice) {
            cfg = cfg.withTargetFactory(() -> new ReferenceTargetProvider().open(TargetUri.parse(uri),
                    ForwardingMmioDevice::new));
        }
        Campaign c = new Campaign(cfg);
        Campaign.Result r = c.run();
        long execs = r.report().execs();
        long millis = Math.max(1, r.report().durationMillis());
        double cpu = Math.max(1, c.jobCpuNanos()) / 1e9;
        return new Rate(execs * 1e3 / millis, execs / cpu, cpu / jobs / (millis / 1e3));
    }

    /**
     * The settle time {@code fuzz run} uses by default: none for the in-process reference device (it completes
     * synchronously), half a second for anything else.
     */
    static long settleMillis(String uri) {
        try {
            return TargetUri.parse(uri).scheme().equals("reference") ? 0 : 500;
        } catch (RuntimeException e) {
            return 500;
        }
    }

    private static double run(Runnable r, long nanos) {
        long start = System.nanoTime();
        long n = 0;
        long end = start + nanos;
        long now;
        do {
            for (int i = 0; i < 256; i++) {
                r.run();
            }
            n += 256;
            now = System.nanoTime();
        } while (now < end);
        return n * 1e9 / (now - start);
    }

    /** The benchmark program: reset, init, OUT then IN of sector 1, each notified. */
    public static Program benchProgram() {
        int qs = 8;
        ProgramGen.Layout l = ProgramGen.Layout.of(qs);
        long features = FeatureBit.mask(FeatureBit.VERSION_1);
        List<Op> ops = new ArrayList<>();
        ops.add(new Op.SetStatus(0));
        ops.add(new Op.Read(MAGIC_VALUE, 4));
        ops.add(new Op.Read(VERSION, 4));
        ops.add(new Op.Read(DEVICE_ID, 4));
        ops.add(new Op.SetStatus(DeviceStatus.ACKNOWLEDGE));
        ops.add(new Op.SetStatus(DeviceStatus.ACKNOWLEDGE | DeviceStatus.DRIVER));
        ops.add(new Op.Write(DEVICE_FEATURES_SEL, 4, 0));
        ops.add(new Op.Read(DEVICE_FEATURES, 4));
        ops.add(new Op.Write(DEVICE_FEATURES_SEL, 4, 1));
        ops.add(new Op.Read(DEVICE_FEATURES, 4));
        ops.add(new Op.Features(0, (int) features));
        ops.add(new Op.Features(1, (int) (features >>> 32)));
        int st = DeviceStatus.ACKNOWLEDGE | DeviceStatus.DRIVER | DeviceStatus.FEATURES_OK;
        ops.add(new Op.SetStatus(st));
        ops.add(new Op.Read(STATUS, 4));
        ops.add(new Op.QueueSetup(0, qs, l.desc(), l.avail(), l.used()));
        ops.add(new Op.QueueReady(0, 1));
        ops.add(new Op.SetStatus(st | DeviceStatus.DRIVER_OK));
        long b = l.buffers();
        int d = 0;
        for (int type : new int[] {Blk.T_OUT, Blk.T_IN}) {
            long hdr = b;
            long data = b + 16;
            long status = data + 512;
            ops.add(new Op.Header(hdr, type, 0, 1));
            if (type == Blk.T_OUT) {
                ops.add(new Op.Payload(data, 512, 7));
            }
            ops.add(new Op.Descriptor(0, d, hdr, 16, SplitRing.DESC_F_NEXT, d + 1));
            ops.add(new Op.Descriptor(0, d + 1, data, 512,
                    SplitRing.DESC_F_NEXT | (type == Blk.T_IN ? SplitRing.DESC_F_WRITE : 0), d + 2));
            ops.add(new Op.Descriptor(0, d + 2, status, 1, SplitRing.DESC_F_WRITE, 0));
            ops.add(new Op.Avail(0, d));
            ops.add(new Op.Notify(0));
            d += 3;
            b = (status + 1 + 15) & ~15L;
        }
        ops.add(new Op.Read(INTERRUPT_STATUS, 4));
        ops.add(new Op.Ack(3));
        return new Program(ops);
    }

    /** The same target calls as {@link #benchProgram()}, made directly. */
    static final class RawLoop {
        private final Target t;
        private final long base;
        private final byte[] desc = new byte[Descriptor.SIZE];
        private final byte[] hdr = new byte[16];
        private final byte[] data = new byte[512];
        private final byte[] zeros = new byte[256];
        private final byte[] two = new byte[2];

        RawLoop(Target t) {
            this.t = t;
            this.base = t.ram().base();
        }

        void exec() {
            ProgramGen.Layout l = ProgramGen.Layout.of(8);
            t.write(STATUS, 4, 0);
            t.read(MAGIC_VALUE, 4);
            t.read(VERSION, 4);
            t.read(DEVICE_ID, 4);
            t.write(STATUS, 4, 1);
            t.write(STATUS, 4, 3);
            t.write(DEVICE_FEATURES_SEL, 4, 0);
            t.read(DEVICE_FEATURES, 4);
            t.write(DEVICE_FEATURES_SEL, 4, 1);
            t.read(DEVICE_FEATURES, 4);
            t.write(DRIVER_FEATURES_SEL, 4, 0);
            t.write(DRIVER_FEATURES, 4, 0);
            t.write(DRIVER_FEATURES_SEL, 4, 1);
            t.write(DRIVER_FEATURES, 4, 1);
            t.write(STATUS, 4, 11);
            t.read(STATUS, 4);
            t.write(QUEUE_SEL, 4, 0);
            t.write(QUEUE_NUM, 4, 8);
            t.write(QUEUE_DESC_LOW, 4, (base + l.desc()) & 0xffffffffL);
            t.write(QUEUE_DESC_HIGH, 4, (base + l.desc()) >>> 32);
            t.write(QUEUE_DRIVER_LOW, 4, (base + l.avail()) & 0xffffffffL);
            t.write(QUEUE_DRIVER_HIGH, 4, (base + l.avail()) >>> 32);
            t.write(QUEUE_DEVICE_LOW, 4, (base + l.used()) & 0xffffffffL);
            t.write(QUEUE_DEVICE_HIGH, 4, (base + l.used()) >>> 32);
            t.writeMemory(base + l.avail(), zeros, 0, (int) SplitRing.availRingBytes(8));
            t.writeMemory(base + l.used(), zeros, 0, (int) SplitRing.usedRingBytes(8));
            t.write(QUEUE_SEL, 4, 0);
            t.write(QUEUE_READY, 4, 1);
            t.write(STATUS, 4, 15);
            long b = l.buffers();
            int d = 0;
            int idx = 0;
            for (int type : new int[] {Blk.T_OUT, Blk.T_IN}) {
                hdr[0] = (byte) type;
                hdr[8] = 1;
                t.writeMemory(base + b, hdr, 0, 16);
                if (type == Blk.T_OUT) {
                    t.writeMemory(base + b + 16, data, 0, 512);
                }
                putDesc(l.desc() + 16L * d, base + b, 16, SplitRing.DESC_F_NEXT, d + 1);
                putDesc(l.desc() + 16L * (d + 1), base + b + 16, 512,
                        SplitRing.DESC_F_NEXT | (type == Blk.T_IN ? SplitRing.DESC_F_WRITE : 0), d + 2);
                putDesc(l.desc() + 16L * (d + 2), base + b + 16 + 512, 1, SplitRing.DESC_F_WRITE, 0);
                two[0] = (byte) d;
                two[1] = 0;
                t.writeMemory(base + l.avail() + 4 + 2L * idx, two, 0, 2);
                idx++;
                two[0] = (byte) idx;
                t.writeMemory(base + l.avail() + 2, two, 0, 2);
                t.write(QUEUE_NOTIFY, 4, 0);
                t.readMemory(base + l.used() + 2, two, 0, 2);
                t.read(INTERRUPT_STATUS, 4);
                t.read(STATUS, 4);
                d += 3;
                b = (b + 16 + 512 + 1 + 15) & ~15L;
            }
            t.read(INTERRUPT_STATUS, 4);
            t.write(INTERRUPT_ACK, 4, 3);
        }

        private void putDesc(long off, long addr, int len, int flags, int next) {
            Descriptor.encode(desc, 0, addr, len, flags, next);
            t.writeMemory(base + off, desc, 0, 16);
        }
    }
}
