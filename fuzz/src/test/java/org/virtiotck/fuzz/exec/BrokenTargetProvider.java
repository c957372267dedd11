package org.virtiotck.fuzz.exec;

import org.virtiotck.spec.Blk;
import org.virtiotck.tck.spi.Target;
import org.virtiotck.tck.spi.TargetProvider;
import org.virtiotck.tck.spi.TargetUri;
import org.virtiotck.tck.spi.TargetUriException;

/**
 * Broken reference variants reachable by URI, so the command line can be tested against them (tests only, found
 * through META-INF/services): {@code broken-test:barrier-served-as-in} answers every notified request with IOERR in
 * the status byte at {@link #STATUS} of guest RAM, as QEMU 7.2 answers a BARRIER request it serves as an IN.
 */
public final class BrokenTargetProvider implements TargetProvider {
    /** Where the variant writes its status byte (the status byte of {@code SplitHeaderTest}'s requests). */
    static final long STATUS = SplitHeaderTest.STATUS;

    @Override
    public String scheme() {
        return "broken-test";
    }

    @Override
    public String usage() {
        return "broken-test:barrier-served-as-in (fuzz tests only)";
    }

    @Override
    public Target open(TargetUri uri) {
        if (!uri.path().equals("barrier-served-as-in")) {
            throw new TargetUriException("unknown broken variant '" + uri.path() + "' (barrier-served-as-in)");
        }
        return AfterNotify.open("reference", (target, n) -> target.writeMemory(target.ram().base() + STATUS,
                new byte[] {Blk.S_IOERR}, 0, 1));
    }
}
