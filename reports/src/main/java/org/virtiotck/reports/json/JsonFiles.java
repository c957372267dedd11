package org.virtiotck.reports.json;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Serialising and reading the kit's JSON reports. */
public final class JsonFiles {

    private JsonFiles() {
    }

    /**
     * {@code value} as JSON bytes. A report the mapper cannot write is a bug in the report type, so it is thrown
     * unchecked.
     *
     * @param what what the value is, for the message ("run report")
     */
    public static byte[] bytes(ObjectMapper mapper, Object value, String what) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JacksonException e) {
            throw new UncheckedIOException("cannot serialise " + what, e);
        }
    }

    /**
     * Reads {@code file} as one {@code type}.
     *
     * @param what what the file should be, for the message ("certification report")
     * @throws ReportFormatException with a one-line message when the file is not valid JSON of that type, or holds
     *                               JSON null
     */
    public static <T> T read(ObjectMapper mapper, Path file, Class<T> type, String what) throws IOException {
        T value;
        try {
            value = mapper.readValue(Files.readAllBytes(file), type);
        } catch (JacksonException e) {
            throw new ReportFormatException(file + ": not a valid " + what + ": "
                    + e.getOriginalMessage().lines().findFirst().orElse(""), e);
        }
        if (value == null) {
            throw new ReportFormatException(file + ": not a valid " + what + ": the file holds JSON null");
        }
        return value;
    }
}
