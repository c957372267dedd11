package org.virtiotck.tck.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.opentest4j.TestAbortedException;
import org.virtiotck.tck.junit.Blocked;

/**
 * Shows how far {@code certify} is: tests done of the total, the suite running now, failures and blocked tests so
 * far, the time spent and an estimate of the time left. On a terminal it is one line rewritten in place (at most
 * ten times a second); otherwise (a CI log) a plain line every {@code interval}. Parameterized and dynamic tests
 * join the total when they are registered, so the total can grow while the run goes.
 */
final class ProgressListener implements TestExecutionListener {
    private final PrintStream out;
    private final boolean terminal;
    private final long intervalNanos;
    private long total;
    private long done;
    private long failed;
    private long blocked;
    private String suite = "";
    private long startNanos;
    private long lastPrintNanos;
    private int lastWidth;

    ProgressListener(PrintStream out, boolean terminal, Duration interval) {
        this.out = out;
        this.terminal = terminal;
        this.intervalNanos = interval.toNanos();
    }

    /** For {@code certify}: live on a terminal, a line every 10 s (or {@code virtio.progress.seconds}) otherwise. */
    static ProgressListener forConsole() {
        java.io.Console console = System.console();
        boolean tty = console != null && console.isTerminal();
        long seconds = Long.getLong("virtio.progress.seconds", 10);
        return new ProgressListener(System.out, tty, Duration.ofSeconds(Math.max(1, seconds)));
    }

    @Override
    public synchronized void testPlanExecutionStarted(TestPlan plan) {
        total = plan.countTestIdentifiers(TestIdentifier::isTest);
        startNanos = System.nanoTime();
        lastPrintNanos = startNanos;
    }

    @Override
    public synchronized void dynamicTestRegistered(TestIdentifier id) {
        if (id.isTest()) {
            total++;
        }
    }

    @Override
    public synchronized void executionStarted(TestIdentifier id) {
        id.getSource().ifPresent(s -> {
            if (s instanceof MethodSource m) {
                suite = simple(m.getClassName());
            } else if (s instanceof ClassSource c) {
                suite = simple(c.getClassName());
            }
        });
    }

    @Override
    public synchronized void executionSkipped(TestIdentifier id, String reason) {
        if (id.isTest()) {
            done++;
            maybePrint();
        }
    }

    @Override
    public synchronized void executionFinished(TestIdentifier id, TestExecutionResult result) {
        if (!id.isTest()) {
            return;
        }
        done++;
        Throwable t = result.getThrowable().orElse(null);
        if (result.getStatus() == TestExecutionResult.Status.FAILED) {
            failed++;
        } else if (t instanceof Blocked || t instanceof TestAbortedException && t.getCause() instanceof Blocked) {
            blocked++;
        }
        maybePrint();
    }

    @Override
    public synchronized void testPlanExecutionFinished(TestPlan plan) {
        if (terminal && lastWidth > 0) {
            out.print("\r" + " ".repeat(lastWidth) + "\r");
        }
        out.println("certify: " + line(System.nanoTime()));
        out.flush();
    }

    private void maybePrint() {
        long now = System.nanoTime();
        long every = terminal ? 100_000_000L : intervalNanos;
        if (now - lastPrintNanos < every) {
            return;
        }
        lastPrintNanos = now;
        String text = line(now);
        if (terminal) {
            out.print("\r" + text + " ".repeat(Math.max(0, lastWidth - text.length())));
            lastWidth = text.length();
        } else {
            out.println("progress: " + text);
        }
        out.flush();
    }

    /** {@code 120/244 tests · BlockIoSuite · 3 failed, 0 blocked · 0:45 elapsed, ~0:40 left}. */
    String line(long now) {
        long elapsed = now - startNanos;
        String eta = done == 0 || done >= total ? "" : ", ~" + clock((long) ((double) elapsed / done
                * (total - done))) + " left";
        return String.format(Locale.ROOT, "%d/%d tests \u00b7 %s \u00b7 %d failed, %d blocked \u00b7 %s elapsed%s",
                done, Math.max(total, done), suite.isEmpty() ? "-" : suite, failed, blocked, clock(elapsed), eta);
    }

    private static String clock(long nanos) {
        long s = nanos / 1_000_000_000L;
        return s < 3600 ? String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }

    private static String simple(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }
}
