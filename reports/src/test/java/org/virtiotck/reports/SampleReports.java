package org.virtiotck.reports;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.virtiotck.reports.html.FuzzSummary;
import org.virtiotck.reports.json.RunReport;
import org.virtiotck.reports.result.Severity;
import org.virtiotck.reports.result.TestOutcome;
import org.virtiotck.reports.result.Verdict;

/** Run reports over the real catalog with realistic test ids, for the report renderers and the gate. */
public final class SampleReports {

    public static final RequirementRegistry REGISTRY = RequirementRegistry.load();
    public static final RunReport.Tool TOOL = new RunReport.Tool("virtio-tck", "0.1.0-SNAPSHOT");
    public static final RunReport.Target TARGET =
            new RunReport.Target("reference:modern", "reference device (modern)", "0.1.0-SNAPSHOT");
    public static final Instant START = Instant.parse("2026-05-01T10:00:00Z");
    public static final String PKG = "org.virtiotck.tck.suites.";

    private SampleReports() {
    }

    public static TestOutcome pass(String test, String suite, String... ids) {
        return new TestOutcome(PKG + test, name(test, ids), suite, List.of(ids), Verdict.PASS, Severity.NONE, "",
                "", "", null, null, 12, TARGET.uri());
    }

    public static TestOutcome skip(String test, String suite, String why, String... ids) {
        return new TestOutcome(PKG + test, name(test, ids), suite, List.of(ids), Verdict.SKIP, Severity.NONE, "",
                "", "Assumption failed: " + why, null, null, 3, TARGET.uri());
    }

    public static TestOutcome bad(String test, String suite, Verdict verdict, Severity severity, String expected,
                                  String observed, String message, String... ids) {
        return new TestOutcome(PKG + test, name(test, ids), suite, List.of(ids), verdict, severity, expected,
                observed, message, null, replay(test), 40, TARGET.uri());
    }

    private static String name(String test, String... ids) {
        String method = test.substring(test.indexOf('#') + 1);
        return method.replaceAll("([A-Z])", " $1").toLowerCase(java.util.Locale.ROOT)
                + " [" + String.join(", ", ids) + "]";
    }

    private static String replay(String test) {
        return "./mvnw -q -pl tck -am verify -Dvirtio.target='reference:modern' -Dtest='" + PKG + test
                + "' -Dsurefire.failIfNoSpecifiedTests=false";
    }

    /** Twelve passes and two skips; certifies at every level. */
    public static List<TestOutcome> passingOutcomes() {
        return List.of(
                pass("MmioRegisterSuite#magicValueIsVirt", "mmio", "mmio.dev.1"),
                pass("MmioRegisterSuite#versionIsTwo", "mmio", "mmio.dev.2"),
                pass("InterruptSuite#statusLatchesUntilAck", "interrupts", "mmio.dev.3", "mmio.dev.4"),
                pass("StatusAndResetSuite#writingZeroResetsStatusToZero", "status", "mmio.dev.5", "mmio.dev.6"),
                pass("FeatureNegotiationSuite#anyValidSubsetIsAccepted", "features", "features.dev.2"),
                pass("FeatureNegotiationSuite#acceptedSetStaysAcceptedAfterReset", "features", "features.dev.5"),
                pass("SplitQueueSuite#chainSplitDoesNotMatter", "queues", "split.dev.1"),
                pass("BlkRequestSuite#flushIsOffered", "blk", "blk.dev.1"),
                pass("BlkRequestSuite#wceImpliesFlush", "blk", "blk.dev.2"),
                pass("BlkRequestSuite#writebackStartsAtZero", "blk", "blk.dev.3"),
                pass("InterruptSuite#noNotificationWhenSuppressed", "interrupts", "split.dev.10"),
                pass("InterruptSuite#eventIdxSuppressesOtherSlots", "interrupts", "split.dev.14"),
                skip("LegacyTransportSuite#guestPageSizeIsHonoured", "legacy-transport",
                        "needs the legacy (Version 1) transport; this target is modern", "mmio-legacy.dev.1"),
                skip("BlkRequestSuite#zonedAppendReportsSector", "blk", "the target does not offer ZONED",
                        "blk.dev.48"));
    }

    public static RunReport passing() {
        return RunReport.of(REGISTRY, TOOL, TARGET, START, START.plusSeconds(8), "42", passingOutcomes(),
                List.of());
    }

    /**
     * The passing run with: a MUST failure whose message carries markup, a SHOULD failure, a crash, a harness error,
     * a waived hang and one harness driver-rule violation.
     */
    public static RunReport failing() {
        List<TestOutcome> outcomes = new ArrayList<>(passingOutcomes());
        outcomes.set(1, bad("MmioRegisterSuite#versionIsTwo", "mmio", Verdict.FAIL, Severity.MEDIUM, "0x2",
                "0x1", "Version register: <script>alert('x')</script> & friends", "mmio.dev.2"));
        outcomes.set(4, bad("FeatureNegotiationSuite#anyValidSubsetIsAccepted", "features", Verdict.FAIL,
                Severity.LOW, "FEATURES_OK stays set for subset 0x0000000100000044",
                "FEATURES_OK cleared after subset 0x0000000100000044", "device refused a valid subset",
                "features.dev.2"));
        outcomes.set(6, bad("SplitQueueSuite#chainSplitDoesNotMatter", "queues", Verdict.CRASH, Severity.HIGH,
                "same data for every split", "target exited with status 134 (SIGABRT)",
                "device process died while handling a 3-descriptor chain", "split.dev.1"));
        outcomes.set(3, bad("StatusAndResetSuite#writingZeroResetsStatusToZero", "status", Verdict.HANG,
                Severity.HIGH, "status reads 0 within 1 s", "no answer within 5000 ms", "register read timed out",
                "mmio.dev.5", "mmio.dev.6").waive("firmware 1.2 resets asynchronously; fixed in 1.3"));
        outcomes.set(9, bad("BlkRequestSuite#writebackStartsAtZero", "blk", Verdict.ERROR, Severity.NONE, "", "",
                "HarnessError: guest memory window exhausted", "blk.dev.3"));
        return RunReport.of(REGISTRY, TOOL, TARGET, START, START.plusSeconds(9), "42", outcomes,
                List.of("mmio.drv.4: 16-bit access to QueueNum (offset 0x038)"));
    }

    /**
     * A device that answers its registers but never completes a request: the smoke stage's request check fails and
     * three tests that need a completed request are BLOCKED by it.
     */
    public static RunReport blocked() {
        String cause = "prerequisite 'one request completes' (SmokeSuite#oneRequestCompletes)";
        String why = "no used buffer within 1000 ms; Status 0xf (DEVICE_NEEDS_RESET clear), used idx 0";
        List<TestOutcome> outcomes = new ArrayList<>(List.of(
                pass("IdentificationSuite#magicValueIsVirt", "mmio", "mmio.dev.1"),
                bad("SmokeSuite#oneRequestCompletes", "smoke", Verdict.FAIL, Severity.HIGH,
                        "a well-formed READ completes", why, "request not completed", "status.dev.3"),
                TestOutcome.blocked(PKG + "BlockIoSuite#readReturnsDiskContent", "read", "blk",
                        List.of("blk-desc.dev.10"), cause, why, TARGET.uri()),
                TestOutcome.blocked(PKG + "InterruptSuite#usedBufferIsNotified", "notify", "interrupts",
                        List.of("split.dev.11"), cause, why, TARGET.uri()),
                TestOutcome.blocked(PKG + "BlockIoSuite#flushCompletes", "flush", "blk",
                        List.of("blk.dev.32"), cause, why, TARGET.uri())));
        return RunReport.of(REGISTRY, TOOL, TARGET, START, START.plusSeconds(2), null, outcomes, List.of());
    }

    /** A 10-minute campaign with three findings. */
    public static FuzzSummary fuzz() {
        List<FuzzSummary.Sample> rate = new ArrayList<>();
        List<FuzzSummary.Sample> coverage = new ArrayList<>();
        List<FuzzSummary.Sample> findings = new ArrayList<>();
        int found = 0;
        for (int s = 0; s <= 600; s += 15) {
            rate.add(new FuzzSummary.Sample(s * 1000L, 1800 + 400 * Math.sin(s / 60.0) - s * 0.8));
            coverage.add(new FuzzSummary.Sample(s * 1000L, Math.round(420 * (1 - Math.exp(-s / 140.0)) + 80)));
            if (s == 45 || s == 210 || s == 480) {
                found++;
            }
            findings.add(new FuzzSummary.Sample(s * 1000L, found));
        }
        return new FuzzSummary("reference:modern", "1234567", Duration.ofMinutes(10).toMillis(), 1_012_345,
                rate, coverage, findings, List.of(
                new FuzzSummary.Finding("crash-0001", "CRASH", "descriptor loop of length 1 <hangs> the device",
                        List.of("split.dev.1"), 45_000L, "virtio-tck fuzz --replay crash-0001.bin"),
                new FuzzSummary.Finding("fail-0002", "FAIL", "used.len exceeds writable bytes",
                        List.of("split.dev.16"), 210_000L, null),
                new FuzzSummary.Finding("hang-0003", "HANG", "QueueReady write never completes",
                        List.of("mmio.dev.6"), 480_000L, "virtio-tck fuzz --replay hang-0003.bin")));
    }
}
