package org.virtiotck.reports;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * The requirement catalog as bundled in this jar ({@code requirements.tsv}), in catalog order.
 *
 * <p>Ids look like {@code <area>.<dev|drv>.<n>}. The <em>area</em> is the part before the first dot
 * ({@code blk-legacy}); the <em>area family</em> folds the {@code -desc} and {@code -legacy} variants into their
 * base area ({@code blk-legacy} → {@code blk}), so coverage can be read per spec topic. The one exception is
 * {@code mmio-legacy}, which stays its own family: it is a complete second register layout (MMIO Version 1) that a
 * modern-only device does not implement at all, so folding it into {@code mmio} would hide the modern transport's
 * coverage behind rows that such a device cannot satisfy. The other legacy areas are small addenda to their base
 * topic and fold.
 */
public final class RequirementRegistry {

    private static final String RESOURCE = "/org/virtiotck/reports/requirements.tsv";
    private static final String HEADER = "id\tsection\ttitle\tactor\tlevel\ttestable\tdescriptive\tsince\tsummary";

    private final Map<String, Requirement> byId;

    private RequirementRegistry(Map<String, Requirement> byId) {
        this.byId = Collections.unmodifiableMap(byId);
    }

    /** Loads the catalog bundled with this module. */
    public static RequirementRegistry load() {
        try (InputStream in = RequirementRegistry.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("classpath resource " + RESOURCE + " is missing");
            }
            return parse(in, RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    /** Parses a registry in the bundled TSV format; {@code source} only names the input in error messages. */
    public static RequirementRegistry parse(InputStream in, String source) throws IOException {
        var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String header = reader.readLine();
        if (!HEADER.equals(header)) {
            throw new IllegalArgumentException(source + ":1: unexpected header, want: " + HEADER.replace('\t', ' '));
        }
        Map<String, Requirement> rows = new LinkedHashMap<>();
        int lineNo = 1;
        for (String line; (line = reader.readLine()) != null; ) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            Requirement r = row(line, source, lineNo);
            if (rows.putIfAbsent(r.id(), r) != null) {
                throw new IllegalArgumentException(source + ":" + lineNo + ": duplicate id " + r.id());
            }
        }
        return new RequirementRegistry(rows);
    }

    private static Requirement row(String line, String source, int lineNo) {
        String where = source + ":" + lineNo + ": ";
        String[] f = line.split("\t", -1);
        if (f.length != 9) {
            throw new IllegalArgumentException(where + "expected 9 columns, found " + f.length);
        }
        if (!f[6].equals("true") && !f[6].equals("false")) {
            throw new IllegalArgumentException(where + "descriptive must be true or false, found '" + f[6] + "'");
        }
        return new Requirement(f[0], f[1], f[2],
                constant(Requirement.Actor.class, f[3], "actor", where),
                constant(Requirement.Level.class, f[4].replace(' ', '_'), "level", where),
                constant(Requirement.Testability.class, f[5], "testable", where),
                Boolean.parseBoolean(f[6]), f[7], f[8]);
    }

    private static <E extends Enum<E>> E constant(Class<E> type, String text, String column, String where) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(text)) {
                return e;
            }
        }
        throw new IllegalArgumentException(where + "unknown " + column + " '" + text + "'");
    }

    /** The requirement with this id; throws {@link NoSuchElementException} for an unknown id. */
    public Requirement get(String id) {
        Requirement r = byId.get(id);
        if (r == null) {
            throw new NoSuchElementException("unknown requirement id: " + id);
        }
        return r;
    }

    public Optional<Requirement> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    public boolean exists(String id) {
        return byId.containsKey(id);
    }

    /** Every requirement, in catalog order. */
    public List<Requirement> all() {
        return List.copyOf(byId.values());
    }

    /** The requirements whose id has exactly this area, e.g. {@code "mmio"} excludes {@code mmio-desc}. */
    public List<Requirement> byArea(String area) {
        return byId.values().stream().filter(r -> area(r.id()).equals(area)).toList();
    }

    /** The requirements whose area belongs to this family, see the class comment. */
    public List<Requirement> byFamily(String family) {
        return byId.values().stream().filter(r -> areaFamily(r.id()).equals(family)).toList();
    }

    /** Distinct areas in catalog order. */
    public List<String> areas() {
        return byId.keySet().stream().map(RequirementRegistry::area).distinct().toList();
    }

    /** The part of an id before the first dot: {@code area("blk-legacy.drv.3")} is {@code blk-legacy}. */
    public static String area(String id) {
        int dot = id.indexOf('.');
        return dot < 0 ? id : id.substring(0, dot);
    }

    /**
     * The topic an id (or a bare area name) belongs to: {@code -desc} and {@code -legacy} suffixes are dropped,
     * except for {@code mmio-legacy}; see the class comment for why.
     */
    public static String areaFamily(String idOrArea) {
        String area = area(idOrArea);
        if (area.equals("mmio-legacy")) {
            return area;
        }
        for (String suffix : List.of("-desc", "-legacy")) {
            if (area.endsWith(suffix)) {
                return area.substring(0, area.length() - suffix.length());
            }
        }
        return area;
    }

    public int size() {
        return byId.size();
    }

    /** Ids in catalog order; handy for set comparisons in tests and tools. */
    public List<String> ids() {
        return List.copyOf(byId.keySet());
    }
}
