package org.virtiotck.tck.adapter.qtest;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * QEMU (aarch64 virt, one virtio-blk disk on the first virtio-mmio slot) started by a test the way another
 * project's CI would start its device: outside the kit, its qtest server listening on a Unix socket that a
 * connect-style {@code qtest:unix:} URI reaches.
 */
final class OutsideQemu implements AutoCloseable {
    static final String ARM = "qemu-system-aarch64";

    private final Process qemu;
    private final String uri;

    private OutsideQemu(Process qemu, String uri) {
        this.qemu = qemu;
        this.uri = uri;
    }

    /** Starts QEMU with a {@code diskBytes} raw disk in {@code dir} and waits (at most 10 s) for its socket. */
    static OutsideQemu start(Path dir, long diskBytes, String... extraArgs) throws IOException, InterruptedException {
        Path sock = dir.resolve("qtest.sock");
        Path img = dir.resolve("disk.raw");
        try (var f = new RandomAccessFile(img.toFile(), "rw")) {
            f.setLength(diskBytes);
        }
        String accel = QemuTargetProvider.binaryFacts(ARM)[1];
        List<String> command = new ArrayList<>(List.of(ARM, "-M", "virt", "-accel", accel, "-S", "-nodefaults",
                "-display", "none", "-monitor", "none", "-serial", "none"));
        command.addAll(List.of(extraArgs));
        command.addAll(List.of("-qtest", "unix:" + sock + ",server=on,wait=off",
                "-global", "virtio-mmio.force-legacy=false",
                "-drive", "if=none,id=d0,format=raw,file=" + img, "-device", "virtio-blk-device,drive=d0"));
        Process qemu = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(dir.resolve("qemu.log").toFile()).start();
        for (int i = 0; i < 400 && !Files.exists(sock); i++) {
            Thread.sleep(25);
        }
        return new OutsideQemu(qemu, "qtest:unix:" + sock + "?base=0x0a003e00&ram=0x40000000+128M"
                + "&irq=/machine/unattached/device%5B1%5D:47&image=" + img);
    }

    /** The connect-style URI of this QEMU's qtest socket, its guest RAM, interrupt line and disk image. */
    String uri() {
        return uri;
    }

    @Override
    public void close() throws InterruptedException {
        qemu.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
}
