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
    private static final TckSession INSTANCE = new TckSession(Targets.selectedUri());

    private final String uri;
    private Target target;
    private TargetInfo info;
    private boolean faulted;
    private final List<String> harnessViolations = Collections.synchronizedList(new ArrayList<>());

    private TckSession(String uri) {
        this.uri = uri;
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "virtio-tck-target-close"));
    }

    public static TckSession get() {
        return INSTANCE;
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
