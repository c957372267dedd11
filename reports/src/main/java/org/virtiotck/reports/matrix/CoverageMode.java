package org.virtiotck.reports.matrix;

/** How an area name selects requirements when computing coverage. */
public enum CoverageMode {
    /** Only ids whose area is exactly the name: {@code blk} excludes {@code blk-desc} and {@code blk-legacy}. */
    AREA,
    /** Ids whose area family is the name: {@code blk} includes {@code blk-desc} and {@code blk-legacy}. */
    FAMILY
}
