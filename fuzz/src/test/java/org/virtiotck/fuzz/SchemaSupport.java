package org.virtiotck.fuzz;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Validates fuzz reports against reports/.../schema/fuzz-report.schema.json (on the class path via reports). */
final class SchemaSupport {
    private static final Schema SCHEMA = load();

    private SchemaSupport() {
    }

    private static Schema load() {
        try (InputStream in = SchemaSupport.class.getResourceAsStream(
                "/org/virtiotck/reports/schema/fuzz-report.schema.json")) {
            if (in == null) {
                throw new IllegalStateException("fuzz-report.schema.json not on the class path");
            }
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Error> validate(Path file) throws IOException {
        return SCHEMA.validate(Files.readString(file), InputFormat.JSON);
    }
}
