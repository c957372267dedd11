package org.virtiotck.reports;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/** The published JSON schemas of the reports (src/main/resources/.../schema), for tests that check documents. */
public final class JsonSchemas {
    private JsonSchemas() {}

    /** The schema in file {@code name}, e.g. {@code run-report.schema.json}. */
    public static Schema load(String name) {
        try (InputStream in = JsonSchemas.class.getResourceAsStream("/org/virtiotck/reports/schema/" + name)) {
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What in {@code json} breaks {@code schema}; empty when the document is valid. */
    public static List<Error> validate(Schema schema, String json) {
        return schema.validate(json, InputFormat.JSON);
    }
}
