package org.virtiotck.tck.target.agent;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

import org.virtiotck.spec.MmioRegister;
import org.virtiotck.tck.spi.Target;
import org.virtiotck.tck.spi.Targets;
import org.virtiotck.tck.target.qtest.TempDirs;

/**
 * Register round trips per second ({@code read(MagicValue, 4)}) and guest-memory throughput through the guest
 * agent, next to the same through qtest, on the same QEMU machine configuration in the same run: two QEMUs (qtest
 * needs the vCPUs stopped, the agent needs them running), measured in alternating slices so both see the same
 * machine load. Guest memory is measured over the serial port and with the shared RAM file (ram-file=).
 *
 * <p>Usage: {@code AgentBench REPO_ROOT [aarch64|x86_64] [SECONDS] [SLICES]}.
 */
public final class AgentBench {
    private AgentBench() {}

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath();
        String arch = args.length > 1 ? args[1] : "aarch64";
        double seconds = args.length > 2 ? Double.parseDouble(args[2]) : 8;
        int slices = args.length > 3 ? Integer.parseInt(args[3]) : 20;
        Path agent = AgentQemu.image(root, arch);
        if (!Files.isRegularFile(agent)) {
            System.err.println("AgentBench: no agent image at " + agent + " (build it: make -C agent OUT=target)");
            System.exit(2);
        }
        Path dir = Files.createTempDirectory("agent-bench");
        try (Target qtest = Targets.open(arch.equals("aarch64") ? "qemu:aarch64-virt" : "qemu:x86_64-microvm");
             Target viaAgent = Targets.open(AgentQemu.uri(root, arch, dir, "tcg", "serial", ""));
             Target viaAgentRamFile = Targets.open(AgentQemu.uri(root, arch, dir.resolve("rf"), "tcg", "ramfile", ""))) {
            System.out.println("qtest: " + qtest.info().name());
            System.out.println("agent: " + viaAgent.info().name());
            registers(qtest, 0.3e9);
            registers(viaAgent, 0.3e9);
            long slice = (long) (seconds * 1e9 / (2 * slices));
            double[] ratios = new double[slices];
            double q = 0;
            double a = 0;
            for (int i = 0; i < slices; i++) {
                double rq = registers(qtest, slice);
                double ra = registers(viaAgent, slice);
                q += rq;
                a += ra;
                ratios[i] = ra / rq;
            }
            Arrays.sort(ratios);
            System.out.printf(Locale.ROOT, "register round trips/s: qtest %,.0f  agent %,.0f  agent/qtest %.3f"
                    + " (median of %d paired slices %.3f)%n", q / slices, a / slices, a / q, slices, ratios[slices / 2]);
            double mq = memory(qtest, 4, 256 << 10);
            double ma = memory(viaAgent, 1, 32 << 10);
            double mf = memory(viaAgentRamFile, 4, 256 << 10);
            System.out.printf(Locale.ROOT, "guest memory write+read MB/s: qtest %.2f  agent over serial %.3f"
                    + " (agent/qtest %.4f)  agent with ram-file %.1f (agent/qtest %.1f)%n", mq, ma, ma / mq, mf, mf / mq);
        } finally {
            TempDirs.deleteTree(dir);
        }
    }

    /** Round trips per second through Target.read for about {@code nanos}. */
    static double registers(Target t, double nanos) {
        long n = 0;
        long start = System.nanoTime();
        long end = start + (long) nanos;
        long now;
        do {
            for (int i = 0; i < 16; i++) {
                if (t.read(MmioRegister.MAGIC_VALUE, 4) != MmioRegister.MAGIC) {
                    throw new IllegalStateException("bad MagicValue from " + t.info().name());
                }
            }
            n += 16;
            now = System.nanoTime();
        } while (now < end);
        return n * 1e9 / (now - start);
    }

    /** MB/s moved by writing then reading back {@code bytes} at the bottom of the RAM window, {@code rounds} times. */
    static double memory(Target t, int rounds, int bytes) {
        byte[] data = new byte[bytes];
        byte[] back = new byte[data.length];
        new java.util.Random(1).nextBytes(data);
        long base = t.ram().base();
        long start = System.nanoTime();
        for (int r = 0; r < rounds; r++) {
            t.writeMemory(base, data, 0, data.length);
            t.readMemory(base, back, 0, back.length);
            if (!Arrays.equals(data, back)) {
                throw new IllegalStateException("guest memory read back differs on " + t.info().name());
            }
        }
        double secs = (System.nanoTime() - start) / 1e9;
        return 2.0 * rounds * data.length / secs / 1e6;
    }
}
