package org.virtiotck.tck.junit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Optional;
import org.virtiotck.spec.DeviceStatus;
import org.virtiotck.spec.FeatureBit;
import org.virtiotck.spec.MmioRegister;
import org.virtiotck.tck.driver.BlkDriver;
import org.virtiotck.tck.spi.HostControl;
import org.virtiotck.tck.spi.InterruptObserver;
import org.virtiotck.tck.spi.Target;
import org.virtiotck.tck.spi.TargetInfo;

/**
 * What a conformance test works with: the target (a fresh device), a careful driver over it, and
 * assumptions that turn "the device does not offer this" into SKIP.
 */
public final class Tck {
    private final Target target;
    private final String testUniqueId;
    private BlkDriver driver;
    private Long offered;
    private Integer version;

    Tck(Target target, String testUniqueId) {
        this.target = target;
        this.testUniqueId = testUniqueId;
    }

    /**
     * Names the requirement ids this test invocation verifies, for tests whose ids depend on their parameters
     * (one case of a table-driven suite). They replace the method's {@link Verifies} ids in the reports.
     */
    public void verifies(String... ids) {
        TckSession.get().recordRuntimeIds(testUniqueId, java.util.List.of(ids));
    }

    /**
     * Reports what the smoke stage measured about {@code p} as this test's verdict: PASS when it holds, FAIL with
     * its ids when it failed, BLOCKED when an earlier prerequisite failed, the target fault when the target stopped
     * answering during the check.
     */
    public void reportPrerequisite(Prerequisite p) {
        SmokeStage.Check c = TckSession.get().smoke().get(p);
        if (c == null) {
            assumeTrue(false, "not measured: the target faulted earlier in the smoke stage");
            return;
        }
        switch (c.state()) {
            case HOLDS -> verifies(c.ids().toArray(String[]::new));
            case FAILS -> {
                verifies(c.ids().toArray(String[]::new));
                throw new PrerequisiteFailure(c);
            }
            case NOT_MEASURED -> throw TckSession.get().blockerFor(p.closure()).orElseGet(() -> new Blocked(
                    "the smoke stage", c.observed()));
            case FAULT -> throw c.fault();
            case UNKNOWN -> throw new org.virtiotck.tck.driver.HarnessError(c.observed());
        }
    }

    public Target target() {
        return target;
    }

    public TargetInfo info() {
        return target.info();
    }

    /** The careful driver for this test (one per test; the device is fresh). */
    public BlkDriver driver() {
        if (driver == null) {
            driver = new BlkDriver(target);
        }
        return driver;
    }

    /** A careful driver initialized with every feature it supports. */
    public BlkDriver ready() {
        return driver().initializeOrFail();
    }

    public int version() {
        if (version == null) {
            version = (int) target.read(MmioRegister.VERSION, 4);
        }
        return version;
    }

    public boolean legacy() {
        return version() == MmioRegister.VERSION_LEGACY;
    }

    public void assumeModern() {
        assumeTrue(!legacy(), "needs the modern (Version 2) transport; this target is legacy");
    }

    public void assumeLegacy() {
        assumeTrue(legacy(), "needs the legacy (Version 1) transport; this target is modern");
    }

    /**
     * The device's offered features, probed the careful way: reset, ACKNOWLEDGE, DRIVER, read the features,
     * reset again. Leaves the device reset.
     */
    public long offeredFeatures() {
        if (offered == null) {
            BlkDriver probe = new BlkDriver(target);
            probe.identify();
            probe.reset();
            probe.addStatus(DeviceStatus.ACKNOWLEDGE);
            probe.addStatus(DeviceStatus.DRIVER);
            offered = probe.readDeviceFeatures();
            probe.reset();
        }
        return offered;
    }

    public boolean offers(int bit) {
        return FeatureBit.has(offeredFeatures(), bit);
    }

    public void assumeOffered(int... bits) {
        for (int bit : bits) {
            assumeTrue(offers(bit), () -> "device does not offer " + FeatureBit.name(bit));
        }
    }

    public void assumeNotOffered(int bit) {
        assumeTrue(!offers(bit), () -> "device offers " + FeatureBit.name(bit));
    }

    public Optional<InterruptObserver> interrupts() {
        return target.interrupts();
    }

    public InterruptObserver assumeInterruptLine() {
        Optional<InterruptObserver> irq = target.interrupts();
        assumeTrue(irq.isPresent(), "target cannot observe its interrupt line");
        return irq.get();
    }

    public HostControl assumeHostControl() {
        Optional<HostControl> host = target.host();
        assumeTrue(host.isPresent(), "target offers no host-side control (disk resize / inspection; a qtest: "
                + "endpoint can name its own resize command: resize=CMD%20{sectors} in the URI)");
        return host.get();
    }

    /** Host control that can resize the disk at run time (capability RESIZE). */
    public HostControl assumeResize() {
        HostControl host = assumeHostControl();
        assumeTrue(info().has(TargetInfo.Capability.RESIZE), "target cannot resize its disk at run time (a qtest: "
                + "endpoint can name its own resize command: resize=CMD%20{sectors} in the URI)");
        return host;
    }

    /** Host control that can read the backing disk directly (capability DISK_ACCESS). */
    public HostControl assumeDiskAccess() {
        HostControl host = assumeHostControl();
        assumeTrue(info().has(TargetInfo.Capability.DISK_ACCESS), "target cannot read its disk from the host side");
        return host;
    }
}
