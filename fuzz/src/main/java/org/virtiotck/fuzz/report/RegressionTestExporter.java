package org.virtiotck.fuzz.report;

import java.util.List;
import org.virtiotck.fuzz.program.Program;
import org.virtiotck.fuzz.program.ProgramJson;

/**
 * Writes a finding as a self-contained JUnit Jupiter regression test: it replays the minimized program against the
 * target named by {@code -Dvirtio.target} (default: the campaign's target) with the reference oracle, and fails
 * while the finding still reproduces. A finding with a prelude runs its prelude's programs first on the same
 * target (their own complaints are not the finding's).
 */
public final class RegressionTestExporter {
    private RegressionTestExporter() {
    }

    public static String className(String findingId) {
        return "FuzzRegression_" + findingId.replaceAll("[^A-Za-z0-9_]", "_") + "Test";
    }

    public static String source(String packageName, String findingId, String targetUri, String signature,
                                String summary, Program program) {
        return source(packageName, findingId, targetUri, signature, summary, program, List.of());
    }

    /** The test of a finding that reproduces only after {@code prelude} (oldest first; empty: alone). */
    public static String source(String packageName, String findingId, String targetUri, String signature,
                                String summary, Program program, List<Program> prelude) {
        String json = ProgramJson.toJson(program);
        String cls = className(findingId);
        StringBuilder sb = new StringBuilder();
        if (packageName != null && !packageName.isEmpty()) {
            sb.append("package ").append(packageName).append(";\n\n");
        }
        sb.append("import static org.junit.jupiter.api.Assertions.assertNull;\n\n")
                .append("import org.junit.jupiter.api.Test;\n")
                .append("import org.virtiotck.fuzz.exec.Harness;\n")
                .append("import org.virtiotck.fuzz.exec.Complaint;\n")
                .append("import org.virtiotck.fuzz.program.Program;\n")
                .append("import org.virtiotck.fuzz.program.ProgramJson;\n")
                .append("import org.virtiotck.tck.spi.Targets;\n\n")
                .append("/**\n * Fuzz finding ").append(findingId).append(": ").append(escapeComment(signature))
                .append("\n * <p>").append(escapeComment(summary)).append("\n */\n")
                .append("class ").append(cls).append(" {\n")
                .append("    static final String TARGET = System.getProperty(\"virtio.target\", ")
                .append(javaString(targetUri)).append(");\n")
                .append("    static final String PROGRAM = ").append(javaString(json)).append(";\n");
        sb.append("    /** Programs run first on the same target, oldest first: the finding needs them. */\n")
                .append("    static final String[] PRELUDE = {");
        for (int i = 0; i < prelude.size(); i++) {
            sb.append(i == 0 ? "\n" : ",\n").append("        ").append(javaString(ProgramJson.toJson(prelude.get(i))));
        }
        sb.append(prelude.isEmpty() ? "};\n\n" : "\n    };\n\n")
                .append("    @Test\n")
                .append("    void findingNoLongerReproduces() {\n")
                .append("        Program program = ProgramJson.fromJson(PROGRAM);\n")
                .append("        try (Harness h = Harness.forTarget(Targets.open(TARGET), TARGET, 200)) {\n")
                .append("            for (String earlier : PRELUDE) {\n")
                .append("                h.run(ProgramJson.fromJson(earlier)); // its own complaint is not this finding\n")
                .append("            }\n")
                .append("            Complaint v = h.run(program);\n")
                .append("            assertNull(v, () -> v.signature() + \": \" + v.summary());\n")
                .append("        }\n")
                .append("    }\n")
                .append("}\n");
        return sb.toString();
    }

    private static String escapeComment(String s) {
        return s.replace("*/", "* /").replace("\n", " ");
    }

    static String javaString(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                default -> sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
