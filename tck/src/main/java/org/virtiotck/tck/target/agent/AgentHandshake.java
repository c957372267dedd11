package org.virtiotck.tck.target.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;

import org.virtiotck.tck.spi.TargetFault;
import org.virtiotck.tck.target.qtest.QtestLink;

/**
 * Finds the agent on a fresh serial link: sends {@code hello N} every {@value #RESEND_MS} ms (the first bytes may
 * arrive before the agent has set up its UART, and firmware may print first) until the answer to the latest one
 * arrives. Lines that are not that answer - a boot banner, firmware output, FAIL answers to a hello that lost
 * bytes - are skipped. Once the latest hello is answered nothing else is in flight, so the qtest connection can
 * take over the link. Bounded: after {@code bootMillis} the link is aborted and a HUNG fault names what was seen.
 */
final class AgentHandshake {
    static final long RESEND_MS = 400;
    private static final int MAX_LINE = 4096;

    private final QtestLink link;
    private final Object sendLock = new Object();
    private int sent;
    private boolean done;
    private volatile boolean expired;

    private AgentHandshake(QtestLink link) {
        this.link = link;
    }

    /** Returns the agent's hello answer line ("OK virtio-tck-agent ..."). */
    static String run(QtestLink link, long bootMillis) {
        return new AgentHandshake(link).await(bootMillis);
    }

    private String await(long bootMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(bootMillis);
        Thread sender = Thread.ofVirtual().name("agent-hello " + link.describe()).start(() -> sendLoop(deadline));
        Deque<String> seen = new ArrayDeque<>();
        byte[] buf = new byte[8192];
        StringBuilder lineText = new StringBuilder();
        try {
            for (;;) {
                int n;
                try {
                    n = link.read(buf, 0, buf.length);
                } catch (IOException e) {
                    n = -1;
                }
                if (n < 0) {
                    throw failure(seen, bootMillis);
                }
                for (int i = 0; i < n; i++) {
                    char c = (char) (buf[i] & 0xff);
                    if (c != '\n') {
                        if (c != '\r' && lineText.length() < MAX_LINE) {
                            lineText.append(c);
                        }
                        continue;
                    }
                    String line = lineText.toString();
                    lineText.setLength(0);
                    if (isAnswerToLatest(line)) {
                        if (i + 1 != n) {
                            throw new TargetFault(TargetFault.Kind.PROTOCOL, "the agent sent more than one answer"
                                    + " to hello on " + link.describe() + ": '" + new String(buf, i + 1, n - i - 1,
                                    StandardCharsets.ISO_8859_1).strip() + "'");
                        }
                        return line;
                    }
                    if (!line.isBlank()) {
                        seen.addLast(line.length() > 160 ? line.substring(0, 160) + "..." : line);
                        if (seen.size() > 8) {
                            seen.removeFirst();
                        }
                    }
                }
            }
        } finally {
            synchronized (sendLock) {
                done = true;
                sendLock.notifyAll();
            }
            sender.interrupt();
        }
    }

    /** Whether line answers the hello sent last; then no more hellos are sent. */
    private boolean isAnswerToLatest(String line) {
        if (!line.startsWith("OK " + AgentHello.NAME + " ")) {
            return false;
        }
        synchronized (sendLock) {
            if (line.endsWith(" tag=" + sent)) {
                done = true;
                return true;
            }
            return false;
        }
    }

    private TargetFault failure(Deque<String> seen, long bootMillis) {
        String what = seen.isEmpty() ? "nothing" : "only:\n  " + String.join("\n  ", seen);
        if (expired) {
            return new TargetFault(TargetFault.Kind.HUNG, "no hello from the guest agent on " + link.describe()
                    + " within " + bootMillis + " ms; the serial port showed " + what);
        }
        return new TargetFault(TargetFault.Kind.CRASHED, link.describe() + " ended before the agent said hello: "
                + link.describeEnd() + "; the serial port showed " + what);
    }

    private void sendLoop(long deadline) {
        try {
            for (;;) {
                synchronized (sendLock) {
                    if (done) {
                        return;
                    }
                    if (System.nanoTime() - deadline > 0) {
                        expired = true;
                        link.abort();
                        return;
                    }
                    sent++;
                    byte[] cmd = ("hello " + sent + "\n").getBytes(StandardCharsets.US_ASCII);
                    try {
                        link.write(cmd, 0, cmd.length);
                    } catch (IOException e) {
                        return; // the reader sees the end of the stream
                    }
                    sendLock.wait(RESEND_MS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
