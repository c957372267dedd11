package org.virtiotck.reports.result;

/** How much a finding matters to someone running the target; {@code NONE} for passes and non-findings. */
public enum Severity { CRITICAL, HIGH, MEDIUM, LOW, NONE }
