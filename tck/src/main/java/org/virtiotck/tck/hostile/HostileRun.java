package org.virtiotck.tck.hostile;

import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.virtiotck.spec.MmioRegister.INTERRUPT_STATUS;
import static org.virtiotck.spec.MmioRegister.INT_CONFIG_CHANGE;
import static org.virtiotck.spec.MmioRegister.QUEUE_NOTIFY;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.virtiotck.queue.UsedElem;
import org.virtiotck.spec.Blk;
import org.virtiotck.spec.DeviceStatus;
import org.virtiotck.spec.FeatureBit;
import org.virtiotck.tck.driver.BlkDriver;
import org.virtiotck.tck.driver.CompletionTimeout;
import org.virtiotck.tck.driver.BlkRequest;
import org.virtiotck.tck.driver.Completion;
import org.virtiotck.tck.driver.Deadline;
import org.virtiotck.tck.driver.HarnessError;
import org.virtiotck.tck.driver.SplitQueue;
import org.virtiotck.tck.driver.Timeouts;
import org.virtiotck.tck.driver.ZonedDriver;
import org.virtiotck.tck.junit.Tck;

/**
 * One run of a hostile case and all it runs with: a careful driver to set the device up, helpers to misbehave
 * with, the oracles that see harm (guest-memory canaries, disk checksum, bounded waits, liveness after the case)
 * and the observer that classifies what the device did into a {@link Reaction}.
 *
 * <p>Every wait is bounded ({@link Deadline}); nothing assumes the device completes synchronously. Calls into
 * an in-process device that hangs or throws surface as {@code TargetFault} (CRASH/HANG verdicts) when the target
 * is wrapped in a {@code GuardedTarget}.
 */
public final class HostileRun {
    /** Sector the follow-up probe reads. */
    public static final long PROBE_SECTOR = 24;
    /** Sectors [40, 42) are written by the liveness round trip. */
    public static final long LIVE_SECTOR = 40;
    /** Features the cases negotiate by default: everything the careful driver knows except EVENT_IDX. */
    public static final long DEFAULT_WANTED = ~FeatureBit.mask(FeatureBit.EVENT_IDX);

    /** {@code -Dvirtio.hostile.log=true} prints every case's reaction (for deviation reports). */
    private static final boolean LOG = Boolean.getBoolean("virtio.hostile.log");

    private final Tck tck;
    private final HostileCase hc;
    private BlkDriver d;
    private final MemoryCanary canary;
    private final DiskGuard disk;
    private final List<long[]> writable = new ArrayList<>();
    private final List<long[]> diskAllowed = new ArrayList<>();
    private final EnumSet<Harm> harms = EnumSet.noneOf(Harm.class);
    private final Set<String> notes = new LinkedHashSet<>();
    private boolean armed;
    private boolean skipLiveness;
    private boolean zoned;
    private boolean untouchedStatusMeansNone;
    private String robustness;
    private Reaction robustnessWhen;
    private String robustnessIfWhen;

    private HostileRun(Tck tck, HostileCase hc) {
        this.tck = tck;
        this.hc = hc;
        this.canary = new MemoryCanary(tck.target());
        this.disk = new DiskGuard(tck.target().host()
                .filter(h -> tck.info().has(org.virtiotck.tck.spi.TargetInfo.Capability.DISK_ACCESS)));
        allowDisk(LIVE_SECTOR, 2);
    }

    // ------------------------------------------------------------------ running a case

    /** Runs one case against the test's fresh device and judges it; throws {@link HostileFailure} on FAIL. */
    public static void run(HostileCase c, Tck tck) {
        tck.verifies(c.ids().toArray(String[]::new));
        assumeTrue(c.transport().applies(tck.legacy()), () -> "case " + c.id() + " applies to the "
                + c.transport().name().toLowerCase(java.util.Locale.ROOT) + " transport only");
        HostileRun a = new HostileRun(tck, c);
        Reaction r;
        try {
            r = c.scenario().run(a);
        } catch (CompletionTimeout t) {
            // The device still answers registers (a target that stops answering throws TargetFault: HANG), it just
            // did not complete: a wedge, judged like any other reaction, with what the driver could see.
            r = a.wedged(t.getMessage());
        }
        a.finish();
        if (LOG) {
            System.out.println("hostile " + c.id() + " on " + tck.info().uri() + ": " + r
                    + (a.notes.isEmpty() ? "" : " " + a.notes));
        }
        a.judge(r);
    }

    private void judge(Reaction r) {
        boolean legacy = tck.legacy();
        Set<Reaction> allowed = hc.accept().allowedOn(legacy);
        if (r == Reaction.STOPPED_SILENTLY && !allowed.contains(r)) {
            harm(Harm.WEDGED_WITHOUT_NEEDS_RESET, "no used buffer, no DEVICE_NEEDS_RESET, and a well-formed request "
                    + "behind the hostile one was not served either");
        }
        if (robustness == null && r == robustnessWhen) {
            robustness = robustnessIfWhen;
        }
        if (harms.isEmpty() && allowed.contains(r)) {
            if (robustness != null) {
                throw new HostileFailure("a device that declines " + hc.what() + " (DEVICE_NEEDS_RESET or an error "
                        + "status)", "robustness finding: " + robustness + " [case " + hc.id() + "]", r, harms, true);
            }
            return;
        }
        String expected = "one of {" + allowed.stream().sorted().map(Enum::name).collect(Collectors.joining(", "))
                + "} and no harm";
        String observed = r + (harms.isEmpty() ? "" : "; harm: " + harms) + (notes.isEmpty() ? ""
                : " (" + String.join("; ", notes) + ")");
        throw new HostileFailure(expected, observed + " [case " + hc.id() + ": " + hc.what() + "]", r, harms);
    }

    // ------------------------------------------------------------------ setup

    /** Careful initialization with {@link #DEFAULT_WANTED} features and the default queue size. */
    public BlkDriver init() {
        return init(DEFAULT_WANTED, 0);
    }

    /** Careful initialization; the used rings become device-writable regions. */
    public BlkDriver init(long wanted, int queueSize) {
        d = tck.driver();
        return initialized(d.initialize(wanted, queueSize));
    }

    /**
     * Careful initialization that also accepts ZONED ({@link ZonedDriver#features}, without EVENT_IDX); the
     * liveness check after the case then negotiates ZONED too (a host-managed device refuses a driver without it).
     */
    public BlkDriver initZoned() {
        d = tck.driver();
        d.begin();
        zoned = true;
        return initialized(d.finish(ZonedDriver.features(d) & DEFAULT_WANTED, 0));
    }

    private BlkDriver initialized(BlkDriver.Init init) {
        if (!init.ok()) {
            throw new AssertionError("careful initialization failed before the hostile step: " + init.problem());
        }
        for (int i = 0; i < d.queueCount(); i++) {
            SplitQueue q = d.queue(i);
            allowWrite(q.layout().used(), q.layout().usedBytes());
        }
        return d;
    }

    /** The careful steps up to queue setup: {@link BlkDriver#begin()}, then {@code wanted} negotiated. */
    public BlkDriver negotiated(long wanted) {
        d = tck.driver();
        d.begin();
        if (!d.negotiate(d.choose(wanted))) {
            throw new AssertionError("FEATURES_OK refused for " + FeatureBit.describe(d.negotiated()));
        }
        return d;
    }

    /** A careful driver that has only identified the device (for cases that set the device up themselves). */
    public BlkDriver bare() {
        d = tck.driver();
        d.identify();
        return d;
    }

    /** Skips the case unless the device offers every bit. */
    public void need(int... bits) {
        tck.assumeOffered(bits);
    }

    public boolean offered(int bit) {
        return tck.offers(bit);
    }

    public Tck tck() {
        return tck;
    }

    public BlkDriver driver() {
        return d;
    }

    public SplitQueue q() {
        return d.queue(0);
    }

    public boolean legacy() {
        return tck.legacy();
    }

    /**
     * Takes the disk baseline (through the careful driver, which must be initialized) and fills all free guest RAM
     * with canaries. Call once the careful setup is done and before building the hostile input.
     */
    public void arm() {
        if (d != null && (d.mmio().status() & DeviceStatus.DRIVER_OK) != 0) {
            disk.baseline(d);
        }
        canary.fill(d.ram().mark());
        armed = true;
    }

    /** Re-takes the memory baseline: call after the harness has written everything the device may look at. */
    public void baseline() {
        if (armed) {
            canary.baseline();
        }
    }

    public void allowWrite(long gpa, long len) {
        writable.add(new long[] {gpa, len});
    }

    public void allowDisk(long sector, long sectors) {
        diskAllowed.add(new long[] {sector * Blk.SECTOR_SIZE, sectors * Blk.SECTOR_SIZE});
    }

    public void harm(Harm h, String detail) {
        harms.add(h);
        notes.add(h.name() + ": " + detail);
    }

    public void note(String s) {
        notes.add(s);
    }

    /**
     * A robustness finding: the device followed a structure no device MUST forbids it to follow, but which a driver
     * must never build and which is dangerous to follow (the case then FAILs with severity LOW, unless harm was
     * seen, which ranks higher).
     */
    public void robustness(String finding) {
        robustness = finding;
    }

    /** A robustness finding when the case ends with reaction {@code when} (see {@link #robustness(String)}). */
    public void robustnessIf(Reaction when, String finding) {
        robustnessWhen = when;
        robustnessIfWhen = finding;
    }

    /** A one-byte device-readable status buffer holding the sentinel 0xa5 (the device may not write it). */
    public long readOnlyStatus() {
        long g = d.ram().alloc(1, 16);
        d.ram().putU8(g, 0xa5);
        return g;
    }

    /**
     * The chain's status byte is in a buffer the device may not write (e.g. device-readable): a byte still holding
     * the 0xa5 sentinel means the chain was given back without a status, not a bad status.
     */
    public void untouchedStatusMeansNone() {
        untouchedStatusMeansNone = true;
    }

    /**
     * DEVICE_NEEDS_RESET as a reaction: before DRIVER_OK (no interrupt owed, status.dev.4 applies only if DRIVER_OK
     * is set), or with or without the configuration-change interrupt.
     */
    public Reaction needsResetReaction() {
        if ((d.mmio().status() & DeviceStatus.DRIVER_OK) == 0) {
            return Reaction.NEEDS_RESET_BEFORE_DRIVER_OK;
        }
        return configIrq(Timeouts.quietPeriod()) ? Reaction.NEEDS_RESET_WITH_CONFIG_IRQ
                : Reaction.NEEDS_RESET_WITHOUT_IRQ;
    }

    /**
     * A request the case waited for did not complete while the device kept answering its registers: records what
     * the driver can see (Status, DEVICE_NEEDS_RESET, used and avail idx of queue 0, InterruptStatus) and returns
     * the reaction (DEVICE_NEEDS_RESET, or a silent stop).
     */
    Reaction wedged(String what) {
        if (d == null) {
            d = tck.driver();
        }
        int status = d.mmio().status();
        int isr = d.mmio().read(INTERRUPT_STATUS);
        String rings = "";
        if (d.queueCount() > 0) {
            SplitQueue q = q();
            rings = ", queue 0 used idx " + q.deviceUsedIdx() + " (avail idx " + q.availIdx() + ")";
        }
        note("no completion while the device kept answering: " + what + "; Status 0x" + Integer.toHexString(status)
                + ((status & DeviceStatus.DEVICE_NEEDS_RESET) != 0 ? " (DEVICE_NEEDS_RESET)" : " (no DEVICE_NEEDS_RESET)")
                + rings + ", InterruptStatus 0x" + Integer.toHexString(isr));
        return needsReset() ? needsResetReaction() : Reaction.STOPPED_SILENTLY;
    }

    /** The liveness check would only repeat what the scenario already did. */
    public void skipLiveness() {
        skipLiveness = true;
    }

    /** Checks the memory canaries now (and records MEMORY_CORRUPTION). */
    public void checkMemory(String when) {
        if (!armed) {
            return;
        }
        String bad = canary.check(writable);
        if (bad != null) {
            harm(Harm.MEMORY_CORRUPTION, when + ": " + bad);
        }
    }

    // ------------------------------------------------------------------ guest buffers

    /** A 16-byte request header. */
    public long header(int type, long sector) {
        return header(type, sector, Blk.HEADER_SIZE);
    }

    /** The first {@code len} bytes of a request header, in a buffer of exactly that size. */
    public long header(int type, long sector, int len) {
        long g = d.ram().alloc(Math.max(len, 1), 16);
        byte[] h = BlkRequest.of(type, sector, null, 0).header();
        d.ram().write(g, Arrays.copyOf(h, len));
        return g;
    }

    /** A device-writable buffer of {@code len} bytes (canaries right behind it). */
    public long in(int len) {
        long g = d.ram().alloc(Math.max(len, 1), 16);
        allowWrite(g, len);
        return g;
    }

    /** A device-readable buffer holding a pattern. */
    public long out(int len, long seed) {
        long g = d.ram().alloc(Math.max(len, 1), 16);
        d.ram().write(g, pattern(len, seed));
        return g;
    }

    /** A one-byte status buffer holding the sentinel 0xa5, device-writable. */
    public long status() {
        long g = readOnlyStatus();
        allowWrite(g, 1);
        return g;
    }

    public static byte[] pattern(int len, long seed) {
        byte[] b = new byte[len];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    public ChainBuilder chain() {
        return new ChainBuilder(this, q());
    }

    public long ramEnd() {
        return tck.target().ram().end();
    }

    // ------------------------------------------------------------------ submitting and observing

    /** Publishes {@code head}, takes the memory baseline, notifies queue 0 and observes the reaction. */
    public Reaction submit(int head, long statusGpa) {
        q().publish(head);
        return notifyAndObserve(head, statusGpa);
    }

    /** Takes the memory baseline, notifies queue 0 and observes the reaction to the chain at {@code head}. */
    public Reaction notifyAndObserve(int head, long statusGpa) {
        baseline();
        d.serviceInterrupt();
        d.clearSeenInterrupts();
        d.mmio().write(QUEUE_NOTIFY, 0);
        return observe(head, statusGpa);
    }

    /** How long a refusal may take to show (NEEDS_RESET or a used buffer) before the harness looks further. */
    public static Duration refusalWindow() {
        return Timeouts.quietPeriod().multipliedBy(2);
    }

    /** How long the follow-up probe waits for a well-formed request. */
    public static Duration probeWindow() {
        return Timeouts.quietPeriod().multipliedBy(5);
    }

    public boolean needsReset() {
        return (d.mmio().status() & DeviceStatus.DEVICE_NEEDS_RESET) != 0;
    }

    /** Whether a configuration-change interrupt was seen since the last clear (polls a little for it). */
    public boolean configIrq(Duration wait) {
        Deadline dl = Deadline.in(wait);
        for (int attempt = 0; ; attempt++) {
            serviceInterrupts();
            if ((d.seenInterrupts() & INT_CONFIG_CHANGE) != 0 || dl.expired()) {
                return (d.seenInterrupts() & INT_CONFIG_CHANGE) != 0;
            }
            dl.pause(attempt);
        }
    }

    /** Reads and acknowledges InterruptStatus whatever the line says (polling transports, or a stuck line). */
    public void serviceInterrupts() {
        if (d.serviceInterrupt() == 0 && d.interruptLine() == null) {
            return;
        }
        if (d.interruptLine() != null && !d.interruptLine().asserted()) {
            int bits = d.mmio().read(INTERRUPT_STATUS) & 3;
            if (bits != 0) {
                d.serviceInterrupt();
            }
        }
    }

    /**
     * Waits (bounded) until the device used something on {@code q} or set DEVICE_NEEDS_RESET; returns whether
     * either happened.
     */
    public boolean awaitActivity(SplitQueue q, Duration window) {
        Deadline dl = Deadline.in(window);
        for (int attempt = 0; ; attempt++) {
            d.serviceInterrupt();
            if (q.pendingUsed() > 0 || needsReset()) {
                return true;
            }
            if (dl.expired()) {
                return false;
            }
            dl.pause(attempt);
        }
    }

    /**
     * Observes the reaction to the hostile chain at {@code head} (whose status byte is at {@code statusGpa}, or -1
     * when it has none) on queue 0: a used element, DEVICE_NEEDS_RESET (with or without interrupt), or nothing;
     * in the last case a well-formed probe request is sent behind it to tell a skipped chain (leaked slot) from a
     * stopped queue.
     */
    public Reaction observe(int head, long statusGpa) {
        SplitQueue q = q();
        awaitActivity(q, refusalWindow());
        Reaction nr = needsReset() ? needsResetReaction() : null;
        checkMemory("after the device reacted");
        List<UsedElem> used = new ArrayList<>(q.takeAllUsed());
        Reaction r = fromUsed(used, head, statusGpa, -1);
        if (r != null) {
            return r;
        }
        if (nr != null) {
            return nr;
        }
        return probe(head, statusGpa);
    }

    /** Sends a well-formed READ behind the hostile chain and classifies what comes back. */
    private Reaction probe(int head, long statusGpa) {
        SplitQueue q = q();
        if (q.freeDescriptors() < 3) {
            throw new HarnessError("case " + hc.id() + " leaves no descriptors for the follow-up probe");
        }
        BlkDriver.Pending p = d.build(0, BlkRequest.read(PROBE_SECTOR, Blk.SECTOR_SIZE));
        allowWrite(p.inGpa(), p.writableBytes());
        q.publish(p.head());
        baseline();
        d.mmio().write(QUEUE_NOTIFY, 0);
        List<UsedElem> used = new ArrayList<>();
        Deadline dl = Deadline.in(probeWindow());
        for (int attempt = 0; ; attempt++) {
            d.serviceInterrupt();
            used.addAll(q.takeAllUsed());
            if (used.stream().anyMatch(e -> e.id() == p.head()) || needsReset() || dl.expired()) {
                break;
            }
            dl.pause(attempt);
        }
        Reaction r = fromUsed(used, head, statusGpa, p.head());
        boolean probeServed = used.stream().anyMatch(e -> e.id() == p.head());
        if (r != null) {
            return r;
        }
        if (probeServed) {
            harm(Harm.LEAKED_SLOT, "the hostile chain (head " + head + ") never came back but the request behind "
                    + "it did");
            return Reaction.UNCONSUMED_OTHERS_WORK;
        }
        if (needsReset()) {
            return needsResetReaction();
        }
        return Reaction.STOPPED_SILENTLY;
    }

    /**
     * Classifies used elements: the hostile chain's completion, or null when it did not come back. Records
     * DOUBLE_PROCESSING and BOGUS_USED_ELEMENT.
     */
    private Reaction fromUsed(List<UsedElem> used, int head, long statusGpa, int probeHead) {
        int count = 0;
        for (UsedElem e : used) {
            if (e.id() == head) {
                count++;
            } else if (e.id() != probeHead) {
                harm(Harm.BOGUS_USED_ELEMENT, "used element with id " + e.id() + " (len " + e.len() + ")");
            }
        }
        if (used.stream().filter(e -> e.id() == probeHead).count() > 1) {
            harm(Harm.DOUBLE_PROCESSING, "the probe request came back " + count + " times");
        }
        if (count > 1) {
            harm(Harm.DOUBLE_PROCESSING, "the hostile chain (head " + head + ") came back " + count + " times");
        }
        if (count == 0) {
            return null;
        }
        return statusReaction(statusGpa);
    }

    /** COMPLETED_* from the status byte at {@code statusGpa} (-1: the chain has none). */
    public Reaction statusReaction(long statusGpa) {
        if (statusGpa < 0) {
            return Reaction.RETURNED_WITHOUT_STATUS;
        }
        int s = d.ram().u8(statusGpa);
        if (s == 0xa5 && untouchedStatusMeansNone) {
            return Reaction.RETURNED_WITHOUT_STATUS;
        }
        return switch (s) {
            case Blk.S_OK -> Reaction.COMPLETED_OK;
            case Blk.S_IOERR -> Reaction.COMPLETED_IOERR;
            case Blk.S_UNSUPP -> Reaction.COMPLETED_UNSUPP;
            default -> {
                note("status byte 0x" + Integer.toHexString(s));
                yield Reaction.COMPLETED_BAD_STATUS;
            }
        };
    }

    /** Waits (bounded) for a well-formed request's completion; null when it does not come back in time. */
    public Completion awaitOrNull(BlkDriver.Pending p, Duration window) {
        SplitQueue q = p.queue();
        Deadline dl = Deadline.in(window);
        for (int attempt = 0; ; attempt++) {
            d.serviceInterrupt();
            if (q.pendingUsed() > 0) {
                UsedElem e = q.takeUsed();
                if (e.id() != p.head()) {
                    harm(Harm.BOGUS_USED_ELEMENT, "used id " + e.id() + " while waiting for " + p.head());
                    continue;
                }
                return d.complete(p, e);
            }
            if (dl.expired()) {
                return null;
            }
            dl.pause(attempt);
        }
    }

    // ------------------------------------------------------------------ after the case

    /** Final memory check, liveness (reset + careful init + a round trip, {@link Liveness}), disk check. */
    private void finish() {
        checkMemory("at the end of the case");
        if (skipLiveness) {
            return;
        }
        Liveness live = Liveness.check(tck.target(), zoned);
        if (live.problem() != null) {
            harm(Harm.NOT_RECOVERED_BY_RESET, live.problem());
        }
        BlkDriver fresh = live.driver();
        String bad = disk.check(fresh, diskAllowed);
        if (bad != null) {
            harm(Harm.DISK_CORRUPTION, bad);
        }
    }
}
