package org.virtiotck.tck.junit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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

    /** A fresh device for the next test: the target is opened on first use and hard-reset afterwards. */
    public synchronized Target freshTarget() {
        if (target == null || faulted) {
            closeQuietly();
            target = Targets.open(uri);
            info = target.info();
            faulted = false;
        } else {
            try {
                target.hardReset();
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
