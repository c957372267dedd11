package org.virtiotck.tck.target.agent;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.virtiotck.tck.spi.MemoryWindow;

/**
 * What the guest agent says about itself in answer to {@code hello}:
 * {@code OK virtio-tck-agent VERSION arch=A boot=B uart=U image=BASE+SIZE ram=BASE+SIZE|unknown
 * devices=BASE:ID:VERSION,...|none [tag=T]}.
 *
 * @param version   the agent's version
 * @param fields    every key=value pair, in order
 * @param image     the agent's own footprint (code, data, stacks, page tables)
 * @param freeRam   RAM the agent does not use, or null when it could not tell
 * @param devices   virtio-mmio transports with a device behind them (DeviceID not 0)
 */
record AgentHello(String version, Map<String, String> fields, MemoryWindow image, MemoryWindow freeRam,
                  List<Device> devices) {

    static final String NAME = "virtio-tck-agent";

    /** One transport the agent found (in the DTB or on the kernel command line) and probed. */
    record Device(long base, int deviceId, int version) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "0x%x (DeviceID %d, Version %d)", base, deviceId, version);
        }
    }

    String arch() {
        return fields.getOrDefault("arch", "unknown");
    }

    String tag() {
        return fields.get("tag");
    }

    /** Parses the answer line; throws IllegalArgumentException naming what is wrong. */
    static AgentHello parse(String line) {
        String[] words = line.strip().split(" +");
        if (words.length < 3 || !words[0].equals("OK") || !words[1].equals(NAME)) {
            throw new IllegalArgumentException("not an agent hello: '" + line + "'");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 3; i < words.length; i++) {
            int eq = words[i].indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("bad field '" + words[i] + "' in agent hello");
            }
            fields.put(words[i].substring(0, eq), words[i].substring(eq + 1));
        }
        MemoryWindow image = window(fields.get("image"), "image");
        if (image == null) {
            throw new IllegalArgumentException("agent hello does not give its image footprint: '" + line + "'");
        }
        MemoryWindow ram = window(fields.get("ram"), "ram");
        List<Device> devices = new ArrayList<>();
        String dev = fields.getOrDefault("devices", "none");
        if (!dev.equals("none")) {
            for (String d : dev.split(",")) {
                String[] parts = d.split(":");
                if (parts.length != 3) {
                    throw new IllegalArgumentException("bad device '" + d + "' in agent hello");
                }
                devices.add(new Device(hex(parts[0]), (int) hex(parts[1]), (int) hex(parts[2])));
            }
        }
        return new AgentHello(words[2], fields, image, ram, List.copyOf(devices));
    }

    private static MemoryWindow window(String text, String what) {
        if (text == null || text.equals("unknown")) {
            return null;
        }
        int plus = text.indexOf('+');
        if (plus <= 0) {
            throw new IllegalArgumentException("bad " + what + "=" + text + " in agent hello");
        }
        long size = hex(text.substring(plus + 1));
        if (size <= 0) {
            throw new IllegalArgumentException("empty " + what + "=" + text + " in agent hello");
        }
        return new MemoryWindow(hex(text.substring(0, plus)), size);
    }

    private static long hex(String s) {
        String t = s.startsWith("0x") ? s.substring(2) : s;
        try {
            return Long.parseUnsignedLong(t, 16);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad number '" + s + "' in agent hello");
        }
    }
}
