package org.virtiotck.tck.adapter.nativelib;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.virtiotck.device.InterruptLine;
import org.virtiotck.memory.SegmentGuestMemory;
import org.virtiotck.tck.spi.TargetFault;
import org.virtiotck.tck.spi.TargetInfo;
import org.virtiotck.tck.spi.TargetUri;
import org.virtiotck.tck.spi.TargetUriException;
import org.virtiotck.tck.adapter.hosted.HostedDevice;
import org.virtiotck.tck.adapter.hosted.HostedDeviceFactory;

/**
 * A device library implementing the C ABI of {@code virtio_tck_device.h} (tck/src/main/c), loaded with the FFM
 * API: {@code native:/path/libdevice.so[?config=TEXT&ram=BYTES]}.
 *
 * <p>The library runs inside this JVM. A call that never returns is bounded by the
 * {@link org.virtiotck.tck.spi.GuardedTarget} the provider wraps around it, but a crash (SIGSEGV, abort) inside
 * the library ends the whole JVM: there is no way to survive it in-process.
 */
public final class NativeDeviceFactory implements HostedDeviceFactory {
    /** The ABI versions this adapter speaks. */
    public static final int ABI_VERSION = 1;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final FunctionDescriptor IRQ_FN = FunctionDescriptor.ofVoid(ValueLayout.ADDRESS, ValueLayout.JAVA_INT);
    private static final MethodHandle IRQ_TARGET;

    static {
        try {
            IRQ_TARGET = MethodHandles.lookup().findStatic(NativeDeviceFactory.class, "irq",
                    MethodType.methodType(void.class, InterruptLine.class, MemorySegment.class, int.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Path library;
    private final String config;
    private final long ramBytes;
    private final Arena libraryArena;
    private final int abiVersion;
    private final MethodHandle create;
    private final MethodHandle destroy;
    private final MethodHandle mmioRead;
    private final MethodHandle mmioWrite;
    private final MethodHandle hardReset;

    private NativeDeviceFactory(Path library, String config, long ramBytes) {
        this.library = library;
        this.config = config;
        this.ramBytes = ramBytes;
        this.libraryArena = Arena.ofShared();
        try {
            SymbolLookup lib = SymbolLookup.libraryLookup(library, libraryArena);
            MethodHandle version = LINKER.downcallHandle(required(lib, "vtck_abi_version"),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT));
            this.abiVersion = (int) version.invokeExact();
            if (abiVersion != ABI_VERSION) {
                throw new TargetFault(TargetFault.Kind.PROTOCOL, library + " implements device ABI version "
                        + Integer.toUnsignedString(abiVersion) + "; this TCK speaks version " + ABI_VERSION);
            }
            this.create = LINKER.downcallHandle(required(lib, "vtck_create"), FunctionDescriptor.of(
                    ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_LONG, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
                    ValueLayout.JAVA_LONG));
            this.destroy = LINKER.downcallHandle(required(lib, "vtck_destroy"),
                    FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
            this.mmioRead = LINKER.downcallHandle(required(lib, "vtck_mmio_read"), FunctionDescriptor.of(
                    ValueLayout.JAVA_LONG, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
            this.mmioWrite = LINKER.downcallHandle(required(lib, "vtck_mmio_write"), FunctionDescriptor.ofVoid(
                    ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
            this.hardReset = lib.find("vtck_hard_reset").map(s -> LINKER.downcallHandle(s,
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS))).orElse(null);
        } catch (RuntimeException e) {
            libraryArena.close();
            throw e;
        } catch (Throwable t) {
            libraryArena.close();
            throw new TargetFault(TargetFault.Kind.CRASHED, "vtck_abi_version of " + library + " failed: " + t, t);
        }
    }

    /** Opens {@code native:/path/libdevice.so[?config=TEXT&ram=BYTES]}. */
    public static NativeDeviceFactory open(TargetUri uri) {
        String path = uri.path();
        if (path.isEmpty()) {
            throw new TargetUriException("native target needs a library path: " + usage());
        }
        String config = uri.string("config", "");
        long ram = uri.longValue("ram", 4 << 20);
        uri.rejectUnknown();
        if (ram < (64 << 10) || ram % 4096 != 0) {
            throw new TargetUriException("ram must be a multiple of 4k and at least 64k, got " + ram);
        }
        Path lib = Path.of(path);
        if (!Files.isRegularFile(lib)) {
            throw new TargetFault(TargetFault.Kind.CRASHED, "device library " + lib + " does not exist");
        }
        try {
            return new NativeDeviceFactory(lib.toAbsolutePath(), config, ram);
        } catch (IllegalArgumentException e) {
            throw new TargetFault(TargetFault.Kind.CRASHED, "cannot load device library " + lib + ": "
                    + e.getMessage(), e);
        }
    }

    public static String usage() {
        return "native:/path/libdevice.so[?config=TEXT&ram=BYTES] (a library implementing virtio_tck_device.h)";
    }

    private MemorySegment required(SymbolLookup lib, String name) {
        return lib.find(name).orElseThrow(() -> new TargetFault(TargetFault.Kind.PROTOCOL,
                library + " does not export " + name + " (see virtio_tck_device.h)"));
    }

    /** The upcall body: never lets an exception escape into native code (that would abort the JVM). */
    @SuppressWarnings("unused")
    private static void irq(InterruptLine line, MemorySegment ctx, int level) {
        try {
            line.setLevel(level != 0);
        } catch (Throwable ignored) {
            // nothing sensible to do inside a native callback
        }
    }

    @Override
    public String name() {
        return "native device " + library.getFileName();
    }

    @Override
    public String version() {
        return "abi " + abiVersion;
    }

    @Override
    public long ramBytes() {
        return ramBytes;
    }

    @Override
    public Set<TargetInfo.Capability> capabilities() {
        return EnumSet.noneOf(TargetInfo.Capability.class);
    }

    @Override
    public Map<String, String> details() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("library", library.toString());
        d.put("config", config);
        d.put("abi", Integer.toString(abiVersion));
        d.put("hardReset", hardReset != null ? "vtck_hard_reset" : "destroy + create");
        d.put("ramBytes", Long.toString(ramBytes));
        return d;
    }

    @Override
    public HostedDevice create(SegmentGuestMemory ram, InterruptLine line) {
        MemorySegment seg = ram.segment();
        if (!seg.isNative()) {
            throw new IllegalArgumentException("a native device needs native guest RAM");
        }
        Arena deviceArena = Arena.ofShared();
        try {
            MemorySegment upcall = LINKER.upcallStub(MethodHandles.insertArguments(IRQ_TARGET, 0, line), IRQ_FN,
                    deviceArena);
            MemorySegment err = deviceArena.allocate(512);
            MemorySegment handle = (MemorySegment) create.invokeExact(deviceArena.allocateFrom(config), seg,
                    seg.byteSize(), ram.base(), upcall, MemorySegment.NULL, err, err.byteSize());
            if (handle.equals(MemorySegment.NULL)) {
                String why = err.getString(0);
                throw new TargetFault(TargetFault.Kind.CRASHED, "vtck_create of " + library.getFileName()
                        + " failed" + (why.isEmpty() ? "" : ": " + why));
            }
            return new Device(handle, deviceArena);
        } catch (TargetFault e) {
            deviceArena.close();
            throw e;
        } catch (Throwable t) {
            deviceArena.close();
            throw new TargetFault(TargetFault.Kind.CRASHED, "vtck_create failed: " + t, t);
        }
    }

    @Override
    public void close() {
        // Unloading (dlclose) is left to the arena; a device thread still running would crash, so stay loaded
        // when anything could still run. The shared arena closes only when no device is open.
        try {
            libraryArena.close();
        } catch (RuntimeException ignored) {
            // still in use
        }
    }

    /** One device instance behind a handle. */
    private final class Device implements HostedDevice {
        private final MemorySegment handle;
        private final Arena arena;
        private boolean closed;

        Device(MemorySegment handle, Arena arena) {
            this.handle = handle;
            this.arena = arena;
        }

        @Override
        public long read(long offset, int width) {
            try {
                return (long) mmioRead.invokeExact(handle, offset, width);
            } catch (Throwable t) {
                throw new TargetFault(TargetFault.Kind.CRASHED, "vtck_mmio_read failed: " + t, t);
            }
        }

        @Override
        public void write(long offset, int width, long value) {
            try {
                mmioWrite.invokeExact(handle, offset, width, value);
            } catch (Throwable t) {
                throw new TargetFault(TargetFault.Kind.CRASHED, "vtck_mmio_write failed: " + t, t);
            }
        }

        /** Calls the optional vtck_hard_reset; false when the library has none (or it refused). */
        @Override
        public boolean resetInPlace() {
            if (hardReset == null) {
                return false;
            }
            try {
                return (int) hardReset.invokeExact(handle) == 0;
            } catch (Throwable t) {
                throw new TargetFault(TargetFault.Kind.CRASHED, "vtck_hard_reset failed: " + t, t);
            }
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            try {
                destroy.invokeExact(handle);
            } catch (Throwable ignored) {
                // closing never throws
            }
            arena.close();
        }
    }

    /** Whether the library exports vtck_hard_reset. */
    public boolean hasHardReset() {
        return hardReset != null;
    }
}
