package org.virtiotck.tck.spi;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Bounds every call into a target whose code runs inside this JVM and cannot be trusted to return (a native
 * library, a deliberately broken device): each call runs on a worker thread and is given up after a timeout.
 *
 * <p>A call that does not return becomes {@link TargetFault.Kind#HUNG}; one that throws anything but a
 * {@link TargetFault} becomes {@link TargetFault.Kind#CRASHED}. After either, the target is dead: further calls
 * fail at once until {@link #hardReset()} brings up a fresh device on a fresh worker. The stuck worker is
 * interrupted and abandoned (a daemon thread), which is the most a JVM can do about code that never returns.
 */
public final class GuardedTarget extends ForwardingTarget {
    private final Duration timeout;
    private ExecutorService worker;
    private String deadBecause;

    public GuardedTarget(Target inner, Duration timeout) {
        super(inner);
        this.timeout = timeout;
        this.worker = newWorker();
    }

    private static ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "virtio-target-call");
            t.setDaemon(true);
            return t;
        });
    }

    private <T> T call(String what, Callable<T> body) {
        if (deadBecause != null) {
            throw new TargetFault(TargetFault.Kind.CRASHED, "target is dead (" + deadBecause + "); " + what
                    + " not attempted");
        }
        Future<T> f = worker.submit(body);
        try {
            return f.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            worker.shutdownNow();
            deadBecause = what + " did not return within " + timeout.toMillis() + " ms";
            throw new TargetFault(TargetFault.Kind.HUNG, deadBecause);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof TargetFault tf) {
                throw tf;
            }
            deadBecause = what + " threw " + cause;
            throw new TargetFault(TargetFault.Kind.CRASHED, deadBecause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TargetFault(TargetFault.Kind.HUNG, "interrupted while waiting for " + what);
        }
    }

    private void run(String what, Runnable body) {
        call(what, () -> {
            body.run();
            return null;
        });
    }

    @Override
    public long read(long offset, int width) {
        return call("read of register 0x" + Long.toHexString(offset), () -> inner.read(offset, width));
    }

    @Override
    public void write(long offset, int width, long value) {
        run("write of register 0x" + Long.toHexString(offset), () -> inner.write(offset, width, value));
    }

    @Override
    public void readMemory(long gpa, byte[] dst, int dstOffset, int length) {
        run("guest memory read", () -> inner.readMemory(gpa, dst, dstOffset, length));
    }

    @Override
    public void writeMemory(long gpa, byte[] src, int srcOffset, int length) {
        run("guest memory write", () -> inner.writeMemory(gpa, src, srcOffset, length));
    }

    /** Whether a call has hung or crashed since the last hard reset. */
    public boolean dead() {
        return deadBecause != null;
    }

    @Override
    public void hardReset() {
        if (deadBecause != null) {
            worker.shutdownNow();
            worker = newWorker();
            deadBecause = null;
        }
        run("hard reset", inner::hardReset);
    }

    @Override
    public void resetDevice() {
        if (deadBecause != null) {
            hardReset();
        } else {
            run("device reset", inner::resetDevice);
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
        inner.close();
    }
}
