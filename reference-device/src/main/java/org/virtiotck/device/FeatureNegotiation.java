package org.virtiotck.device;

import static org.virtiotck.spec.FeatureBit.*;

/**
 * The device's side of feature negotiation (§2.2, §3.1.1): whether it keeps FEATURES_OK for the driver's
 * selection. A refusal leaves the bit clear (features.dev.3). The judgement depends on the selection alone, so a
 * set accepted once is accepted again after a reset (features.dev.5).
 */
final class FeatureNegotiation {
    private final long offered;
    private final ZonedModel zonedModel;

    FeatureNegotiation(long offered, ZonedModel zonedModel) {
        this.offered = offered;
        this.zonedModel = zonedModel;
    }

    /**
     * Accepts only offered bits (features.drv.1), VERSION_1 when offered (reserved.drv.1; reserved.dev.2 lets the
     * device refuse without it) and, on a host-managed zoned device, only a selection with ZONED (blk.dev.8).
     */
    boolean accepts(long features) {
        if ((features & ~offered) != 0) {
            return false;
        }
        if (has(offered, VERSION_1) && !has(features, VERSION_1)) {
            return false;
        }
        return zonedModel != ZonedModel.HOST_MANAGED || has(features, BLK_ZONED);
    }
}
