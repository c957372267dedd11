package org.virtiotck.tck.adapter.qtest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.virtiotck.tck.adapter.Quietly;

/**
 * Speaks qtest on a child's stdin/stdout. The child's stderr goes to a file so a crash report can quote its
 * last lines without a thread draining it.
 */
public final class ProcessLink implements QtestLink {
    /** How many stderr lines a crash report quotes. */
    static final int STDERR_TAIL_LINES = 20;

    /**
     * Children still running. QEMU does not exit when its qtest stdin closes, so a JVM that exits without
     * closing its targets would leave QEMUs behind; a shutdown hook kills whatever is left.
     */
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> LIVE.forEach(ProcessLink::kill)));
    }

    private final Process process;
    private final InputStream in;
    private final OutputStream out;
    private final Path stderrFile;
    private final String name;

    private ProcessLink(Process process, Path stderrFile, String name) {
        this.process = process;
        this.in = process.getInputStream();
        this.out = process.getOutputStream();
        this.stderrFile = stderrFile;
        this.name = name;
    }

    /**
     * Starts {@code command} with stdin/stdout as the qtest stream and stderr captured in {@code stderrFile}.
     *
     * @throws IOException when the program cannot be started
     */
    public static ProcessLink start(List<String> command, Path stderrFile) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.redirectInput(ProcessBuilder.Redirect.PIPE);
        pb.redirectOutput(ProcessBuilder.Redirect.PIPE);
        pb.redirectError(ProcessBuilder.Redirect.to(stderrFile.toFile()));
        Process p = pb.start();
        LIVE.add(p);
        p.onExit().thenRun(() -> LIVE.remove(p));
        return new ProcessLink(p, stderrFile, "stdio of " + Path.of(command.getFirst()).getFileName());
    }

    Process process() {
        return process;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        return in.read(buf, off, len);
    }

    @Override
    public void write(byte[] buf, int off, int len) throws IOException {
        out.write(buf, off, len);
        out.flush();
    }

    @Override
    public int available() {
        try {
            return in.available();
        } catch (IOException e) {
            return -1;
        }
    }

    @Override
    public boolean endsWithin(long millis) {
        try {
            return process.waitFor(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    @Override
    public void abort() {
        kill(process);
    }

    private static void kill(Process p) {
        try {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        } catch (RuntimeException ignored) {
            // best effort: the process may be gone already
        }
    }

    @Override
    public String describeEnd() {
        StringBuilder b = new StringBuilder();
        try {
            if (process.waitFor(2, TimeUnit.SECONDS)) {
                int code = process.exitValue();
                if (code > 128 && code < 128 + 65) {
                    b.append("process exited on signal ").append(code - 128);
                } else {
                    b.append("process exited with status ").append(code);
                }
            } else {
                b.append("process closed its output but is still running");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            b.append("process state unknown (interrupted)");
        }
        String tail = stderrTail(STDERR_TAIL_LINES);
        if (tail.isEmpty()) {
            b.append("; stderr was empty");
        } else {
            b.append("; last lines of stderr:\n").append(tail);
        }
        return b.toString();
    }

    /** The last {@code lines} lines of the child's stderr (reads at most the last 64 KiB of the file). */
    String stderrTail(int lines) {
        try {
            if (!Files.exists(stderrFile)) {
                return "";
            }
            byte[] data;
            try (RandomAccessFile f = new RandomAccessFile(stderrFile.toFile(), "r")) {
                long size = f.length();
                int n = (int) Math.min(size, 64 * 1024);
                data = new byte[n];
                f.seek(size - n);
                f.readFully(data);
            }
            String text = new String(data, StandardCharsets.UTF_8);
            Deque<String> last = new ArrayDeque<>();
            for (String line : text.split("\r?\n")) {
                if (line.isBlank()) {
                    continue;
                }
                last.addLast(line);
                if (last.size() > lines) {
                    last.removeFirst();
                }
            }
            return String.join("\n", last);
        } catch (IOException | RuntimeException e) {
            return "(stderr unreadable: " + e + ")";
        }
    }

    @Override
    public void close() {
        Quietly.close(out);
        try {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            if (!process.waitFor(1, TimeUnit.SECONDS)) {
                kill(process);
                process.waitFor(3, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            kill(process);
            Thread.currentThread().interrupt();
        } catch (RuntimeException ignored) {
            kill(process);
        }
        Quietly.close(in);
    }

    @Override
    public String describe() {
        return name;
    }
}
