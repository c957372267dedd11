package org.virtiotck.tck.spi;

import java.util.List;

/** Access to a strict device model's record of driver-side rules broken by the harness. */
public interface DriverChecker {

    /** Every violation seen since the last {@link #clear()}, as "requirement-id: detail" lines. */
    List<String> violations();

    void clear();
}
