package org.virtiotck.reports.waiver;

/** A waiver file that cannot be used; the message is one line naming the file and line. */
public final class WaiverFileException extends Exception {

    public WaiverFileException(String message) {
        super(message);
    }
}
