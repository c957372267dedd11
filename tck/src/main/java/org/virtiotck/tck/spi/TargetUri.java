package org.virtiotck.tck.spi;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * A target URI: {@code scheme[:path][?key=value&key=value...]}.
 * Examples: {@code reference}, {@code reference:legacy}, {@code reference:?queues=4&features=-EVENT_IDX},
 * {@code qemu:aarch64-virt?legacy=true}.
 *
 * <p>Providers read options with the typed getters and call {@link #rejectUnknown()} at the end, so a typo
 * in an option is an error rather than silently ignored.
 */
public final class TargetUri {
    private final String text;
    private final String scheme;
    private final String path;
    private final Map<String, String> options;
    private final Set<String> read = new LinkedHashSet<>();

    private TargetUri(String text, String scheme, String path, Map<String, String> options) {
        this.text = text;
        this.scheme = scheme;
        this.path = path;
        this.options = options;
    }

    public static TargetUri parse(String text) {
        if (text == null || text.isBlank()) {
            throw new TargetUriException("empty target URI; expected scheme[:path][?options], e.g. reference:legacy");
        }
        String t = text.strip();
        String beforeQuery = t;
        String query = "";
        int q = t.indexOf('?');
        if (q >= 0) {
            beforeQuery = t.substring(0, q);
            query = t.substring(q + 1);
        }
        int colon = beforeQuery.indexOf(':');
        String scheme = colon >= 0 ? beforeQuery.substring(0, colon) : beforeQuery;
        String path = colon >= 0 ? beforeQuery.substring(colon + 1) : "";
        if (!scheme.matches("[a-z][a-z0-9+.-]*")) {
            throw new TargetUriException("bad target URI scheme '" + scheme + "' in '" + t + "'");
        }
        Map<String, String> options = new LinkedHashMap<>();
        if (!query.isEmpty()) {
            for (String pair : query.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String key = decode(eq >= 0 ? pair.substring(0, eq) : pair);
                String value = eq >= 0 ? decode(pair.substring(eq + 1)) : "true";
                if (key.isEmpty()) {
                    throw new TargetUriException("empty option name in target URI '" + t + "'");
                }
                if (options.put(key, value) != null) {
                    throw new TargetUriException("option '" + key + "' given twice in target URI '" + t + "'");
                }
            }
        }
        return new TargetUri(t, scheme, path, Collections.unmodifiableMap(options));
    }

    /**
     * The URI {@code schemeAndPath?k=v&...} with each option encoded, for an adapter that hands a rewritten URI
     * to another provider.
     */
    public static TargetUri of(String schemeAndPath, Map<String, String> options) {
        StringBuilder b = new StringBuilder(schemeAndPath);
        String sep = "?";
        for (Map.Entry<String, String> e : options.entrySet()) {
            b.append(sep).append(encode(e.getKey())).append('=').append(encode(e.getValue()));
            sep = "&";
        }
        return parse(b.toString());
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new TargetUriException("bad percent-encoding in target URI option: " + s);
        }
    }

    public String scheme() {
        return scheme;
    }

    public String path() {
        return path;
    }

    public Map<String, String> options() {
        return options;
    }

    public boolean has(String key) {
        return options.containsKey(key);
    }

    public String string(String key, String defaultValue) {
        read.add(key);
        return options.getOrDefault(key, defaultValue);
    }

    public long longValue(String key, long defaultValue) {
        read.add(key);
        String v = options.get(key);
        if (v == null) {
            return defaultValue;
        }
        try {
            return parseNumber(v.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new TargetUriException("option '" + key + "' wants a number, got '" + v + "'");
        }
    }

    public int intValue(String key, int defaultValue) {
        long v = longValue(key, defaultValue);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new TargetUriException("option '" + key + "' is out of range: " + v);
        }
        return (int) v;
    }

    public boolean bool(String key, boolean defaultValue) {
        read.add(key);
        String v = options.get(key);
        if (v == null) {
            return defaultValue;
        }
        return switch (v.toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new TargetUriException("option '" + key + "' wants true or false, got '" + v + "'");
        };
    }

    /** Names options a provider understands even when it only tests for them with {@link #has}. */
    public TargetUri declare(String... keys) {
        read.addAll(java.util.List.of(keys));
        return this;
    }

    /** Throws when the URI carries an option no getter asked for. */
    public void rejectUnknown() {
        for (String key : options.keySet()) {
            if (!read.contains(key)) {
                throw new TargetUriException("unknown option '" + key + "' for target scheme '" + scheme
                        + "' (known: " + String.join(", ", read) + ")");
            }
        }
    }

    /**
     * A number as target URIs write it: decimal or {@code 0x} hex, with an optional {@code k}, {@code m} or
     * {@code g} suffix (binary units).
     *
     * @throws NumberFormatException when {@code v} is not such a number
     * @throws ArithmeticException when the value with its unit overflows a long
     */
    public static long parseNumber(String v) {
        String s = v.toLowerCase(java.util.Locale.ROOT);
        long unit = 1;
        if (s.endsWith("k")) {
            unit = 1L << 10;
        } else if (s.endsWith("m")) {
            unit = 1L << 20;
        } else if (s.endsWith("g")) {
            unit = 1L << 30;
        }
        if (unit != 1) {
            s = s.substring(0, s.length() - 1);
        }
        long n = s.startsWith("0x") ? Long.parseUnsignedLong(s.substring(2), 16) : Long.parseLong(s);
        return Math.multiplyExact(n, unit);
    }

    @Override
    public String toString() {
        return text;
    }
}
