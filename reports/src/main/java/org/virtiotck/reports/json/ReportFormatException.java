package org.virtiotck.reports.json;

import java.io.IOException;

/** A run-report file that is not valid JSON or does not match the report format; the message is one line. */
public final class ReportFormatException extends IOException {

    public ReportFormatException(String message, Throwable cause) {
        super(message, cause);
    }

    public ReportFormatException(String message) {
        super(message);
    }
}
