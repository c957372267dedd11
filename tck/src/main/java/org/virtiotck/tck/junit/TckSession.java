package org.virtiotck.tck.junit;

import java.util.ArrayList;
import java.util.Collections;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
    /** System property naming a waiver file of known deviations of the target. */
    public static final String WAIVERS_PROPERTY = "virtio.waivers";

    private static TckSession current;

    private final String uri;
    private Target target;
    private TargetInfo info;
    private boolean faulted;
    private final List<String> harnessViolations = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Throwable> waivedFailures = new ConcurrentHashMap<>();
    private final Map<String, List<String>> runtimeIds = new ConcurrentHashMap<>();
    private Waivers waivers;

    private TckSession(String uri) {
        this.uri = uri;
    }

    /**
     * The session for the currently selected target URI ({@code -Dvirtio.target}). When the selection changes
     * (a launcher running the suites against several targets in one JVM), the old target is closed.
     */
    public static synchronized TckSession get() {
        String uri = Targets.selectedUri();
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
     * after a test that hit a target fault.
     */
    public synchronized Target freshTarget() {
        if (target == null || faulted) {
            closeQuietly();
            target = Targets.open(uri);
            info = target.info();
            faulted = false;
        } else {
            try {
                target.resetDevice();
            } catch (RuntimeException e) {
                faulted = true;
                throw e;
            }
        }
        target.driverChecker().ifPresent(c -> c.clear());
        return target;
    }

    /** Called when a test hit a target fault: the next test gets a newly opened target. */
    public synchronized void markFaulted() {
        faulted = true;
    }

    /**
     * The known deviations of this target, from the waiver file named by {@value #WAIVERS_PROPERTY} (none when
     * unset). A malformed file is an error of the run, not of any one test.
     */
    public synchronized Waivers waivers() {
        if (waivers == null) {
            String file = System.getProperty(WAIVERS_PROPERTY);
            try {
                waivers = file == null || file.isBlank() ? Waivers.none()
                        : WaiverFile.read(Path.of(file), RequirementRegistry.load());
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
