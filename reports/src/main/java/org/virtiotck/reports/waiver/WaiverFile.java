package org.virtiotck.reports.waiver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.virtiotck.reports.RequirementRegistry;

/**
 * Reads waiver files. One waiver per line:
 *
 * <pre>
 * # comment
 * requirement-id [test-glob] : reason
 * </pre>
 *
 * The first {@code :} ends the selector, so reasons may contain colons but test globs may not. Ids must exist in
 * the registry: a misspelt id would otherwise silently waive nothing.
 */
public final class WaiverFile {

    private static final Pattern ID = Pattern.compile("[a-z]+(-[a-z]+)?\\.(dev|drv)\\.[1-9][0-9]*");

    private WaiverFile() {
    }

    public static Waivers read(Path file, RequirementRegistry registry) throws WaiverFileException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new WaiverFileException(file + ": cannot read waiver file: " + e.getMessage());
        }
        return parse(text, file.toString(), registry);
    }

    /** Parses waiver text; {@code source} names it in error messages. */
    public static Waivers parse(String text, String source, RequirementRegistry registry)
            throws WaiverFileException {
        List<Waiver> waivers = new ArrayList<>();
        String[] lines = text.split("\\R", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (!line.isEmpty() && !line.startsWith("#")) {
                waivers.add(parseLine(line, source + ":" + (i + 1) + ": ", i + 1, registry));
            }
        }
        return new Waivers(waivers);
    }

    private static Waiver parseLine(String line, String where, int lineNo, RequirementRegistry registry)
            throws WaiverFileException {
        int colon = line.indexOf(':');
        if (colon < 0) {
            throw new WaiverFileException(where + "missing ' : reason' after the requirement id");
        }
        String reason = line.substring(colon + 1).strip();
        if (reason.isEmpty()) {
            throw new WaiverFileException(where + "empty reason; say why the deviation is accepted");
        }
        String[] selector = line.substring(0, colon).strip().split("\\s+");
        if (selector[0].isEmpty()) {
            throw new WaiverFileException(where + "missing requirement id before ':'");
        }
        if (selector.length > 2) {
            throw new WaiverFileException(where + "expected 'requirement-id [test-glob]' before ':', found "
                    + selector.length + " words");
        }
        String id = selector[0];
        if (!ID.matcher(id).matches()) {
            throw new WaiverFileException(where + "'" + id + "' is not a requirement id like mmio.dev.2");
        }
        if (!registry.exists(id)) {
            throw new WaiverFileException(where + "unknown requirement id " + id);
        }
        return new Waiver(id, selector.length == 2 ? selector[1] : null, reason, lineNo);
    }
}
