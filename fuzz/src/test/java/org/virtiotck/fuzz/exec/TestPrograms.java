package org.virtiotck.fuzz.exec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.virtiotck.fuzz.program.Program;
import org.virtiotck.fuzz.program.ProgramJson;

/** Programs of campaign findings kept as test resources next to this package's tests. */
final class TestPrograms {
    private TestPrograms() {
    }

    /** The program in resource {@code name} of this package (a finding's program, as JSON). */
    static Program load(String name) {
        try (InputStream in = TestPrograms.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + name);
            }
            return ProgramJson.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
