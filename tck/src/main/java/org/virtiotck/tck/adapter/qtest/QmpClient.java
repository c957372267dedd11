package org.virtiotck.tck.adapter.qtest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.virtiotck.tck.adapter.Quietly;

/**
 * A minimal QMP client: one JSON object per line over a Unix socket, every exchange bounded by a timeout.
 * Used for what qtest cannot do: find QOM paths (interrupt controller) and resize the disk.
 */
public final class QmpClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SocketChannel channel;
    private final Selector selector;
    private final long timeoutNanos;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private final ByteBuffer buf = ByteBuffer.allocate(64 * 1024);

    private QmpClient(SocketChannel channel, Selector selector, long timeoutMillis) {
        this.channel = channel;
        this.selector = selector;
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    }

    /** Connects, reads the greeting and leaves capability negotiation mode. */
    public static QmpClient connect(Path socket, long timeoutMillis) throws IOException {
        SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        Selector sel = null;
        try {
            ch.configureBlocking(false);
            sel = Selector.open();
            ch.register(sel, SelectionKey.OP_READ);
            QmpClient c = new QmpClient(ch, sel, timeoutMillis);
            long deadline = System.nanoTime() + c.timeoutNanos;
            JsonNode greeting = c.readMessage(deadline);
            if (!greeting.has("QMP")) {
                throw new IOException("not a QMP greeting: " + greeting);
            }
            c.execute("qmp_capabilities", Map.of());
            return c;
        } catch (IOException | RuntimeException e) {
            if (sel != null) {
                sel.close();
            }
            ch.close();
            throw e;
        }
    }

    /** Runs a command and returns its "return" value; an "error" answer becomes an IOException. */
    JsonNode execute(String command, Map<String, Object> arguments) throws IOException {
        Map<String, Object> msg = new LinkedHashMap<>();
        msg.put("execute", command);
        if (!arguments.isEmpty()) {
            msg.put("arguments", arguments);
        }
        byte[] out = (JSON.writeValueAsString(msg) + "\n").getBytes(StandardCharsets.UTF_8);
        long deadline = System.nanoTime() + timeoutNanos;
        ByteBuffer bb = ByteBuffer.wrap(out);
        while (bb.hasRemaining()) {
            channel.write(bb);
            if (bb.hasRemaining()) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IOException("QMP write timed out");
                }
                Thread.onSpinWait();
            }
        }
        for (;;) {
            JsonNode m = readMessage(deadline);
            if (m.has("return")) {
                return m.get("return");
            }
            if (m.has("error")) {
                JsonNode e = m.get("error");
                throw new IOException("QMP " + command + " failed: " + e.path("class").asText() + ": "
                        + e.path("desc").asText());
            }
            // events ("event") are skipped
        }
    }

    /** Names and types of the children of a QOM container, e.g. ("device[1]", "arm_gic"). */
    List<String[]> children(String path) throws IOException {
        JsonNode r = execute("qom-list", Map.of("path", path));
        List<String[]> out = new ArrayList<>();
        for (JsonNode p : r) {
            String type = p.path("type").asText();
            if (type.startsWith("child<") && type.endsWith(">")) {
                out.add(new String[] {p.path("name").asText(), type.substring(6, type.length() - 1)});
            }
        }
        return out;
    }

    private JsonNode readMessage(long deadline) throws IOException {
        for (;;) {
            byte[] have = pending.toByteArray();
            int nl = indexOfNewline(have);
            if (nl >= 0) {
                String line = new String(have, 0, nl, StandardCharsets.UTF_8).strip();
                pending.reset();
                pending.write(have, nl + 1, have.length - nl - 1);
                if (!line.isEmpty()) {
                    return JSON.readTree(line);
                }
                continue;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IOException("QMP answer timed out");
            }
            selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            selector.selectedKeys().clear();
            buf.clear();
            int n = channel.read(buf);
            if (n < 0) {
                throw new IOException("QMP connection closed");
            }
            pending.write(buf.array(), 0, n);
        }
    }

    private static int indexOfNewline(byte[] b) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    @Override
    public void close() {
        Quietly.close(selector);
        Quietly.close(channel);
    }
}
