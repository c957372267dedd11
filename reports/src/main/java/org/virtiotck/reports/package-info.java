/**
 * The requirement catalog as this project carries it, plus everything that turns test outcomes into reports.
 *
 * <p>{@code requirements.tsv} (next to this package's classes) holds one row per normative statement of the
 * shared VirtIO catalog. Project rule: <em>facts</em> (id, section, title, actor, level, testability, whether the
 * row is descriptive, first spec version) are copied from the catalog; <em>sentences</em> are not — every summary
 * is our own wording, and a test checks that no summary repeats five consecutive words of the catalog's.
 * {@code reports/scripts/sync-requirements.py} regenerates the fact columns from the catalog and keeps our
 * summaries; it refuses to write a row that has no summary yet.
 *
 * <p>Sub-packages: {@code result} (what one test concluded), {@code waiver} (accepted deviations),
 * {@code matrix} (requirement-by-requirement traceability and coverage), {@code json} (the run report file),
 * {@code cert} (certification levels, the certification report and JUnit XML for CI), {@code compare} (what
 * changed between two runs) and {@code html} (the self-contained HTML report and the fuzz campaign summary).
 */
package org.virtiotck.reports;
