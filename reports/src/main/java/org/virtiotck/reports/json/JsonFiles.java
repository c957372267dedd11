package org.virtiotck.reports.json;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;

/** Serialising the kit's JSON reports. */
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
}
