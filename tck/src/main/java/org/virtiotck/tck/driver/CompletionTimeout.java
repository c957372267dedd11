package org.virtiotck.tck.driver;

/**
 * A request was not completed while the device kept answering register accesses: a FAIL of the liveness
 * requirement the test checks, never a HANG (HANG means the target stopped answering at all). It says what was
 * seen ({@link NotCompleted}).
 */
public final class CompletionTimeout extends NotCompleted {
    private static final long serialVersionUID = 1L;

    public CompletionTimeout(String message) {
        super(message);
    }

    CompletionTimeout(int queue, long millis, int status, int availIdx, int usedIdx, int isrSeen, String line) {
        super(queue, millis, status, availIdx, usedIdx, isrSeen, line);
    }
}
