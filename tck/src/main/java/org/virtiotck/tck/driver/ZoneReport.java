package org.virtiotck.tck.driver;

import java.util.List;

/** A ZONE_REPORT's completion, its nr_zones and the zone descriptors it returned. */
public record ZoneReport(Completion completion, long nrZones, List<Zone> zones) {}
