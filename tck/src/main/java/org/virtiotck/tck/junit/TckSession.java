package org.virtiotck.tck.junit;

import java.util.ArrayList;
import java.util.Collections;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.virtiotck.reports.RequirementRegistry;
import org.virtiotck.reports.waiver.WaiverFile;
import org.virtiotck.reports.waiver.WaiverFileException;
import org.virtiotck.tck.driver.HarnessError;
import org.virtiotck.reports.waiver.Waivers;
import org.virtiotck.tck.spi.Target;
import org.virtiotck.tck.spi.TargetFault;
import org.virtiotck.tck.spi.TargetInfo;
import org.virtiotck.tck.spi.Targets;

/**
 * The one target a test run certifies, shared by every suite in the JVM. Opening it is lazy; after a target
 * fault the next test reopens it, so one crash costs one verdict and the run goes on.
 */
public final class TckSession {
    private static TckSession current;

    private final String uri;
    private Target target;
    private TargetInfo info;
    private boolean faulted;
    private final List<String> harnessViolations = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Throwable> waivedFailures = new ConcurrentHashMap<>();
    private final Map<String, List<String>> runtimeIds = new ConcurrentHashMap<>();
    private Waivers waivers;
    private Optional<Path> waiversFile = Optional.empty();
    private Map<Prerequisite, SmokeStage.Check> smoke;
    /** Whether the open target can be reopened after a fault (the kit started it). */
    private boolean restartable = true;
    /** Whether the target's reset between tests gives a freshly powered-on device. */
    private boolean freshDeviceAfterReset = true;
    private String lastFault;
    /** Set once a target the kit cannot restart stayed unreachable: every later test is BLOCKED by it. */
    private String unrecoverable;

    /** How many times a target the kit cannot restart is reconnected after a fault before the run gives up. */
    static final int RECONNECT_ATTEMPTS = 3;
    /** Bound of one reconnect attempt (connect, probe, check the transport). */
    static final java.time.Duration RECONNECT_BOUND = java.time.Duration.ofSeconds(3);

    private TckSession(String uri) {
        this.uri = uri;
    }

    /**
     * The session for the target URI of the run in progress ({@link RunSettings#targetUri}). When it changes
     * (a launcher running the suites against several targets in one JVM), the old target is closed.
     */
    public static synchronized TckSession get() {
        String uri = RunSettings.current().targetUri();
        if (current == null || !current.uri.equals(uri)) {
            if (current != null) {
                current.close();
            } else {
                Runtime.getRuntime().addShutdownHook(new Thread(TckSession::closeCurrent, "virtio-tck-target-close"));
            }
            current = new TckSession(uri);
        }
        return current;
    }

    private static synchronized void closeCurrent() {
        if (current != null) {
            current.close();
        }
    }

    public String uri() {
        return uri;
    }

    /** The target's description, once it has been opened; null before. */
    public synchronized TargetInfo info() {
        return info;
    }

    /**
     * A fresh device for the next test: the target is opened on first use, reset between tests, and reopened
     * after a test that hit a target fault. A target the kit cannot restart (an endpoint started outside it) is
     * reconnected a bounded number of times; when that fails, this and every later test is {@link Blocked}.
     */
    public synchronized Target freshTarget() {
        if (unrecoverable != null) {
            throw new Blocked(TARGET_BLOCKER, unrecoverable);
        }
        if (target != null && !faulted && restartable && RunSettings.current().reopenEachTest()) {
            closeQuietly();
            target = null;
        }
        if (target == null || faulted) {
            boolean reopen = target != null || lastFault != null;
            closeQuietly();
            target = reopen && !restartable ? reconnect() : Targets.open(uri);
            info = target.info();
            restartable = target.restartable();
            freshDeviceAfterReset = target.freshDeviceAfterReset();
            faulted = false;
        } else {
            try {
                target.resetDevice();
            } catch (RuntimeException e) {
                faulted = true;
                lastFault = String.valueOf(e.getMessage());
                if (restartable) {
                    throw e;
                }
                return freshTarget();
            }
        }
        target.driverChecker().ifPresent(c -> c.clear());
        return target;
    }

    /** What blocks tests once the target is gone for good. */
    static final String TARGET_BLOCKER = "target fault: the target stopped answering and cannot be restarted";

    /** Reopens an outside endpoint, a bounded number of times with a bounded wait each; gives up with Blocked. */
    private Target reconnect() {
        String last = "";
        for (int attempt = 1; attempt <= RECONNECT_ATTEMPTS; attempt++) {
            java.util.concurrent.CompletableFuture<Target> open = new java.util.concurrent.CompletableFuture<>();
            Thread t = new Thread(() -> {
                try {
                    open.complete(Targets.open(uri));
                } catch (Throwable e) {
                    open.completeExceptionally(e);
                }
            }, "virtio-tck-reconnect");
            t.setDaemon(true);
            t.start();
            try {
                return open.get(RECONNECT_BOUND.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                last = "attempt " + attempt + ": no answer within " + RECONNECT_BOUND.toMillis() + " ms";
                // Close whatever the attempt opens once its own bound ends it.
                open.thenAccept(Target::close);
            } catch (java.util.concurrent.ExecutionException e) {
                last = "attempt " + attempt + ": " + e.getCause().getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                last = "interrupted";
                break;
            }
            org.virtiotck.tck.driver.Deadline pause = org.virtiotck.tck.driver.Deadline.in(
                    java.time.Duration.ofMillis(500));
            for (int i = 0; !pause.expired(); i++) {
                pause.pause(i + 64);
            }
        }
        unrecoverable = "target " + uri + " stopped answering (" + lastFault + ") and " + RECONNECT_ATTEMPTS
                + " reconnect attempts failed (" + last + "). The kit did not start this endpoint and cannot restart "
                + "it: restart the program that serves it (so that it listens on the same address again) and run "
                + "certify again; the remaining tests were not run.";
        System.err.println("virtio-tck: " + unrecoverable);
        throw new Blocked(TARGET_BLOCKER, unrecoverable);
    }

    /**
     * A test is starting. When every test gets a newly opened target ({@link RunSettings#reopenEachTest}), the
     * smoke stage is measured afresh too: the code under test may have changed since the last measurement (a
     * mutation run installs a mutant between tests), and a prerequisite it found broken must not block tests of
     * another device.
     */
    public synchronized void beginTest() {
        if (restartable && RunSettings.current().reopenEachTest()) {
            smoke = null;
        }
    }

    /** Called when a test hit a target fault: the next test gets a newly opened target. */
    public synchronized void markFaulted() {
        faulted = true;
    }

    /** Called when a test hit a target fault: the next test gets a newly opened target. */
    public synchronized void markFaulted(Throwable fault) {
        faulted = true;
        lastFault = String.valueOf(fault.getMessage());
    }

    /**
     * What the smoke stage measured: every {@link Prerequisite}, once per session, on a fresh device, before the
     * first test that asks. The device is reset before the next test.
     */
    public synchronized Map<Prerequisite, SmokeStage.Check> smoke() {
        if (smoke == null) {
            Target t = freshTarget();
            smoke = SmokeStage.measure(t);
            // As for a test: the harness is held to the driver rules when the device behaved; after a failure the
            // checker's view of a device that misreports itself (say, a modern one claiming Version 1) proves nothing.
            if (smoke.values().stream().allMatch(c -> c.state() == SmokeStage.State.HOLDS)) {
                recordHarnessViolations("smoke stage", t.driverChecker().map(c -> c.violations()).orElse(List.of()));
            }
            if (smoke.values().stream().anyMatch(c -> c.state() == SmokeStage.State.FAULT)) {
                smoke.values().stream().filter(c -> c.fault() != null).findFirst()
                        .ifPresent(c -> markFaulted(c.fault()));
            }
        }
        return smoke;
    }

    /**
     * The blocker of a test that needs {@code needs}: the first failed prerequisite among them (and those they
     * are built on), or the lost target. Tests that need a request to complete also need reset to work when the
     * target's reset between tests does not give a fresh device, since every such test runs after a reset.
     */
    public synchronized java.util.Optional<Blocked> blockerFor(java.util.Set<Prerequisite> needs) {
        if (unrecoverable != null) {
            return java.util.Optional.of(new Blocked(TARGET_BLOCKER, unrecoverable));
        }
        Map<Prerequisite, SmokeStage.Check> measured = smoke(); // the smoke stage runs before the first test
        if (needs.isEmpty()) {
            return java.util.Optional.empty();
        }
        java.util.Set<Prerequisite> all = java.util.EnumSet.noneOf(Prerequisite.class);
        needs.forEach(p -> all.addAll(p.closure()));
        if (all.contains(Prerequisite.REQUEST_COMPLETES) && !freshDeviceAfterReset) {
            all.addAll(Prerequisite.RESET_WORKS.closure());
        }
        for (Prerequisite p : Prerequisite.values()) {
            SmokeStage.Check c = measured.get(p);
            if (all.contains(p) && c != null && c.state() == SmokeStage.State.FAILS) {
                return java.util.Optional.of(new Blocked("prerequisite '" + p.description() + "' ("
                        + c.testName() + ")", c.observed() + " [fails " + String.join(", ", c.ids()) + "]"));
            }
        }
        return java.util.Optional.empty();
    }

    /**
     * The known deviations of this target, from the run's waiver file ({@link RunSettings#waivers}; none when
     * unset). A malformed file is an error of the run, not of any one test.
     */
    public synchronized Waivers waivers() {
        Optional<Path> file = RunSettings.current().waivers();
        if (waivers == null || !file.equals(waiversFile)) {
            try {
                waivers = file.isEmpty() ? Waivers.none() : WaiverFile.read(file.get(), RequirementRegistry.load());
                waiversFile = file;
            } catch (WaiverFileException e) {
                throw new HarnessError(e.getMessage());
            }
        }
        return waivers;
    }

    void recordRuntimeIds(String uniqueId, List<String> ids) {
        runtimeIds.put(uniqueId, List.copyOf(ids));
    }

    /** Ids a test named at run time ({@link Tck#verifies}), or null; leaves them in place. */
    List<String> runtimeIds(String uniqueId) {
        return runtimeIds.get(uniqueId);
    }

    /** Ids a test named at run time ({@link Tck#verifies}), or null. */
    List<String> takeRuntimeIds(String uniqueId) {
        return runtimeIds.remove(uniqueId);
    }

    /** Remembers a failure a waiver covers, so the listener reports it as WAIVED rather than PASS. */
    void recordWaived(String uniqueId, Throwable failure) {
        waivedFailures.put(uniqueId, failure);
    }

    /** The waived failure of a test that JUnit saw succeed, if any. */
    Throwable takeWaived(String uniqueId) {
        return waivedFailures.remove(uniqueId);
    }

    /** Driver-rule violations the careful harness caused (should stay empty). */
    public List<String> harnessViolations() {
        synchronized (harnessViolations) {
            return List.copyOf(harnessViolations);
        }
    }

    void recordHarnessViolations(String test, List<String> violations) {
        for (String v : violations) {
            harnessViolations.add(test + ": " + v);
        }
    }

    private void closeQuietly() {
        if (target != null) {
            try {
                target.close();
            } catch (RuntimeException ignored) {
                // closing a broken target must not stop the run
            }
            target = null;
        }
    }

    public synchronized void close() {
        closeQuietly();
    }

    static boolean isFault(Throwable t) {
        return t instanceof TargetFault;
    }
}
